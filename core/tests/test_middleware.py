import pytest


@pytest.mark.django_db
def test_oversized_body_is_refused_before_the_view(client, settings, org):
    settings.MAX_REQUEST_BYTES = 1000
    response = client.post("/accounts/login/", {"username": "a" * 2000, "password": "x"})
    assert response.status_code == 413
    assert "内容过大" in response.content.decode()


@pytest.mark.django_db
def test_unknown_url_gets_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.django_db
def test_wrong_method_gets_chinese_405(client):
    response = client.get("/accounts/logout/")
    assert response.status_code == 405
    assert "操作方式不正确" in response.content.decode()
    assert response.headers["Allow"] == "POST"


@pytest.mark.django_db
def test_every_page_has_a_csp_without_inline_script(client):
    response = client.get("/accounts/login/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert b"<script>" not in response.content
    assert b" style=" not in response.content


@pytest.mark.django_db
def test_malformed_content_length_is_a_400(client):
    response = client.generic("POST", "/accounts/login/", b"", CONTENT_LENGTH="abc")
    assert response.status_code == 400

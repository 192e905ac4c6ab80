from core.tests.english import chinese_outside


def test_chinese_outside_user_data_is_found_in_text_and_read_attributes():
    html = (
        '<html><head><style>.x{content:"样式"}</style></head><body><h1>Plans</h1><p>党委统战部 leads</p>'
        '<input placeholder="搜索"><button title="Save">保存</button><script>var a="脚本"</script></body></html>'
    )
    assert chinese_outside(html, user_data=["党委统战部"]) == ["搜索", "保存"]
    assert chinese_outside("<p>简体中文 · English</p>") == []

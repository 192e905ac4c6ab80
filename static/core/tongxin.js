// Small behaviours that need no inline script (CSP): confirmation of destructive forms.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.matches("form.confirm") && !window.confirm(form.dataset.confirm || "确定吗？")) {
    event.preventDefault();
  }
});

// An event filter in hx-trigger (change[...]) is compiled with eval, which the
// Content-Security-Policy forbids. A form marked data-fields-changed instead gets the
// "fields-changed" event when one of its own fields changes, and not when a field inside it that
// belongs to another form (form="...") does.
document.addEventListener("change", function (event) {
  var form = event.target.form;
  if (form && form.hasAttribute("data-fields-changed") && window.htmx) {
    window.htmx.trigger(form, "fields-changed");
  }
});

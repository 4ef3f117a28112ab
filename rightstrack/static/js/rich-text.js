// A small editor for rich text fields (core.form_fields.RichTextarea): bold, italics, lists and
// links with buttons and the usual keys (Ctrl+B, Ctrl+I), instead of writing markup. It edits a
// copy of the text and puts it back into the field as HTML when the form is sent; the server
// cleans it with its one sanitiser (core/sanitize.py) whatever arrives. Without this file the
// field is a plain text box: an empty line starts a paragraph.
(function () {
  "use strict";
  var ALLOWED = { P: 1, BR: 1, UL: 1, OL: 1, LI: 1, STRONG: 1, EM: 1, B: 1, I: 1, A: 1, BLOCKQUOTE: 1, H3: 1, H4: 1 };
  var MARKUP = /<\s*\/?\s*[a-zA-Z][a-zA-Z0-9]*(\s[^<>\n]*)?\/?>/;

  // Copies the allowed elements of `from` into `to` (text nodes as text, never as markup);
  // other elements give only their content, scripts and styles nothing.
  function copyAllowed(from, to) {
    Array.prototype.forEach.call(from.childNodes, function (node) {
      if (node.nodeType === 3) {
        to.appendChild(document.createTextNode(node.nodeValue));
      } else if (node.nodeType === 1) {
        var name = node.nodeName.toUpperCase();
        if (name === "SCRIPT" || name === "STYLE") { return; }
        if (ALLOWED[name]) {
          var copy = document.createElement(name);
          if (name === "A") {
            var href = node.getAttribute("href") || "";
            if (/^(https?:|mailto:)/i.test(href)) { copy.setAttribute("href", href); }
          }
          copyAllowed(node, copy);
          to.appendChild(copy);
        } else {
          copyAllowed(node, to);
        }
      }
    });
  }

  function paragraphsOf(text) {
    var holder = document.createElement("div");
    text.split(/\n\s*\n/).forEach(function (block) {
      if (!block.trim()) { return; }
      var paragraph = document.createElement("p");
      block.trim().split("\n").forEach(function (line, index) {
        if (index) { paragraph.appendChild(document.createElement("br")); }
        paragraph.appendChild(document.createTextNode(line));
      });
      holder.appendChild(paragraph);
    });
    return holder;
  }

  function load(editor, value) {
    editor.textContent = "";
    if (MARKUP.test(value)) {
      // Parsed in a document of its own, which runs nothing and loads nothing.
      var parsed = new DOMParser().parseFromString(value, "text/html");
      copyAllowed(parsed.body, editor);
    } else {
      copyAllowed(paragraphsOf(value), editor);
    }
  }

  function save(editor, field) {
    var clean = document.createElement("div");
    copyAllowed(editor, clean);
    var text = (clean.textContent || "").trim();
    field.value = text || clean.querySelector("li") ? clean.innerHTML : "";
  }

  function updatePressed(toolbar) {
    toolbar.querySelectorAll("[data-command][aria-pressed]").forEach(function (button) {
      var on = false;
      try { on = document.queryCommandState(button.dataset.command); } catch (error) { on = false; }
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  function setUp(box) {
    var field = box.querySelector("textarea");
    var editor = box.querySelector(".rich-text-editor");
    var toolbar = box.querySelector(".rich-text-toolbar");
    if (!field || !editor || !toolbar || box.dataset.ready) { return; }
    box.dataset.ready = "1";
    var label = document.querySelector('label[for="' + field.id + '"]');
    if (label) {
      if (!label.id) { label.id = field.id + "-label"; }
      editor.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function (event) { event.preventDefault(); editor.focus(); });
    }
    var described = field.getAttribute("aria-describedby");
    if (described) { editor.setAttribute("aria-describedby", described); }
    if (field.getAttribute("aria-invalid")) { editor.setAttribute("aria-invalid", field.getAttribute("aria-invalid")); }
    load(editor, field.value);
    field.hidden = true;
    editor.hidden = false;
    toolbar.hidden = false;

    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-command]");
      if (!button) { return; }
      editor.focus();
      var command = button.dataset.command;
      if (command === "createLink") {
        var address = window.prompt(button.dataset.prompt || "", "https://");
        if (!address || !/^(https?:\/\/|mailto:)\S+$/i.test(address.trim())) { return; }
        document.execCommand("createLink", false, address.trim());
      } else {
        document.execCommand(command, false, null);
      }
      save(editor, field);
      updatePressed(toolbar);
    });
    editor.addEventListener("focus", function () {
      document.execCommand("defaultParagraphSeparator", false, "p");
    });
    editor.addEventListener("input", function () { save(editor, field); });
    editor.addEventListener("keyup", function () { updatePressed(toolbar); });
    editor.addEventListener("mouseup", function () { updatePressed(toolbar); });
    editor.addEventListener("paste", function (event) {
      // Pasted text keeps its paragraphs but not the styles of the page it came from.
      event.preventDefault();
      var text = (event.clipboardData || window.clipboardData).getData("text/plain");
      var holder = paragraphsOf(text);
      document.execCommand("insertHTML", false, holder.innerHTML);
    });
    if (field.form) { field.form.addEventListener("submit", function () { save(editor, field); }); }
  }

  function setUpAll(root) {
    var boxes = root.querySelectorAll ? root.querySelectorAll(".rich-text") : [];
    Array.prototype.forEach.call(boxes, setUp);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpAll(document);
    document.body.addEventListener("htmx:load", function (event) { setUpAll(event.target); });
  });
})();

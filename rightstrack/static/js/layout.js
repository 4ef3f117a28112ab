// The page layout's small behaviours, each useful without it (Content-Security-Policy: no inline
// script). Nothing here is needed to read or submit anything.
// - The main menu folds behind a "Menu" button when the header does not fit in one row (the
//   button stays hidden, and the menu open, when this file does not run).
// - The header's drop-down menus (<details class="dropdown">) close on Escape, on a click
//   elsewhere, and when another opens.
// - Filters (<details class="filters-toggle">) are folded on a narrow screen and open on a wide
//   one; a reader's own choice is kept while HTMX swaps the results around them.
// - Every table in the main region sits in a scroll area of its own, so a wide table scrolls
//   sideways instead of widening the page; when it does overflow, the area can be focused and
//   scrolled with the keyboard and is named after the table's caption.
// - A link to a heading followed by folded <details> (or to something folded inside one), such as
//   the open-data page's data dictionary, unfolds it: the reader lands on what the link names.
(function () {
  "use strict";
  var filtersNarrow = window.matchMedia("(max-width: 48rem)");
  var filterChoices = {};

  function fitHeader() {
    // Compact (menu behind its button) exactly when the full header does not fit in one row.
    var header = document.querySelector(".site-header");
    var nav = header && header.querySelector(".nav");
    if (!nav) { return; }
    header.classList.remove("compact");
    var row = header.querySelector(".header-row");
    var first = nav.querySelector("li");
    var oneRow = !first || nav.offsetHeight <= first.offsetHeight * 1.5;
    var fits = row.scrollWidth <= row.clientWidth + 1;
    header.classList.toggle("compact", !(oneRow && fits));
  }

  function setUpMenu() {
    var header = document.querySelector(".site-header");
    var toggle = header && header.querySelector(".menu-toggle");
    if (!toggle) { return; }
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-open", open);
    });
    fitHeader();
  }

  function setUpDropdowns() {
    var dropdowns = document.querySelectorAll("details.dropdown");
    dropdowns.forEach(function (dropdown) {
      dropdown.addEventListener("toggle", function () {
        if (!dropdown.open) { return; }
        dropdowns.forEach(function (other) { if (other !== dropdown) { other.open = false; } });
      });
      dropdown.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && dropdown.open) {
          dropdown.open = false;
          dropdown.querySelector("summary").focus();
        }
      });
    });
    document.addEventListener("click", function (event) {
      dropdowns.forEach(function (dropdown) {
        if (dropdown.open && !dropdown.contains(event.target)) { dropdown.open = false; }
      });
    });
  }

  function within(root, selector) {
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    if (root.matches && root.matches(selector)) { found.unshift(root); }
    return found;
  }

  function placeFilters(root) {
    within(root, "details.filters-toggle").forEach(function (details) {
      var key = details.id || "filters";
      if (!filtersNarrow.matches) {
        details.open = true;
      } else {
        details.open = filterChoices[key] === true;
      }
      if (!details.dataset.watched) {
        details.dataset.watched = "1";
        details.querySelector("summary").addEventListener("click", function () {
          // Runs before the toggle: remember what the reader asked for.
          filterChoices[key] = !details.open;
        });
      }
    });
  }

  function markOverflow(area) {
    var overflows = area.scrollWidth > area.clientWidth + 1;
    if (overflows) {
      area.setAttribute("tabindex", "0");
      area.setAttribute("role", "region");
      var caption = area.querySelector("caption");
      var name = caption ? caption.textContent.trim() : "";
      area.setAttribute("aria-label", name || area.dataset.defaultLabel || "");
      if (!area.getAttribute("aria-label")) { area.removeAttribute("aria-label"); area.removeAttribute("role"); }
    } else {
      area.removeAttribute("tabindex");
      area.removeAttribute("role");
      area.removeAttribute("aria-label");
    }
  }

  function wrapTables(root) {
    var main = document.getElementById("main");
    if (!main) { return; }
    var scope = main.contains(root) ? root : main;
    var tables = scope.tagName === "TABLE" ? [scope] : scope.querySelectorAll("table");
    tables.forEach(function (table) {
      var parent = table.parentElement;
      if (!parent || parent.classList.contains("table-scroll")) { return; }
      var area = document.createElement("div");
      area.className = "table-scroll";
      parent.insertBefore(area, table);
      area.appendChild(table);
    });
    main.querySelectorAll(".table-scroll").forEach(markOverflow);
  }

  function unfoldTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) { return; }
    var next = target.nextElementSibling;
    var details = target.closest("details") || (next && next.tagName === "DETAILS" ? next : null);
    if (details) { details.open = true; }
  }

  function refresh(root) {
    placeFilters(root);
    wrapTables(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    setUpDropdowns();
    refresh(document.body);
    document.body.addEventListener("htmx:load", function (event) { refresh(event.target); });
    unfoldTarget();
    window.addEventListener("hashchange", unfoldTarget);
    // A table unfolded with its <details> is measured again (folded, it had no width).
    document.addEventListener("toggle", function (event) {
      if (event.target.open) { event.target.querySelectorAll(".table-scroll").forEach(markOverflow); }
    }, true);
    var resizing;
    window.addEventListener("resize", function () {
      window.clearTimeout(resizing);
      resizing = window.setTimeout(function () { fitHeader(); refresh(document.body); }, 150);
    });
  });
})();

// Progressive enhancement only: the pages work without this file.
// After htmx replaces the page, focus goes to the message that says what happened, or to
// the page's heading, so a keyboard or screen reader user is not left on <body> (WCAG 2.4.3).
document.addEventListener("htmx:afterSettle", function () {
  var target = document.querySelector("#meddelanden .flash") || document.querySelector("main h1");
  if (target) {
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.focus();
  }
});

// Next/previous case in the current list from the keyboard: Alt+Shift+N and Alt+Shift+P.
// Modifier keys, so a screen reader's or a typist's single keys never trigger them
// (WCAG 2.1.4); not while typing in a field.
document.addEventListener("keydown", function (event) {
  if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) { return; }
  var tag = event.target && event.target.tagName;
  if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
  var rel = event.code === "KeyN" ? "next" : event.code === "KeyP" ? "prev" : null;
  var link = rel && document.querySelector('nav a[rel="' + rel + '"]');
  if (link) {
    event.preventDefault();
    link.click();
  }
});

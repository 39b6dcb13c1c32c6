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

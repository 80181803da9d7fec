// Pacesetter's own script, served from static files: the Content-Security-Policy runs no
// inline script and no on…= handler, so behaviour is attached here.
//
// <form data-confirm="Really?"> asks before it is sent; Cancel keeps the form unsent.
// Listening on the document covers forms that htmx swaps in later too.
"use strict";

document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) {
    return;
  }
  if (!window.confirm(form.getAttribute("data-confirm"))) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

// bptui's page: the websocket's address from the page's own (so a server bound to 0.0.0.0 works
// under whatever name learners use), the terminal started once its font is there, and focused.
"use strict";
(function () {
  const element = document.getElementById("terminal");
  const address = new URL(element.dataset.sessionWebsocketUrl, window.location.href);
  if (address.protocol === "http:") address.protocol = "ws:";
  if (address.protocol === "https:") address.protocol = "wss:";
  element.dataset.sessionWebsocketUrl = address.href;
  document.getElementById("again").addEventListener("click", function () {
    window.location.reload();
  });
  function start() {
    window.bptuiStart();
    const session = window.bptuiSession;
    if (!session || !session.socket) return;
    // A tutor in the browser starts unfocused (no key bar) until the page says it has focus:
    // said once its first screen has come (said earlier, the tutor's own start would undo it).
    const watch = new MutationObserver(function () {
      if (!document.body.classList.contains("-first-byte")) return;
      watch.disconnect();
      session.terminal.focus();
      session.onFocus();
    });
    watch.observe(document.body, { attributes: true, attributeFilter: ["class"] });
  }
  window.addEventListener("load", function () {
    const font = document.fonts ? document.fonts.load("16px 'Roboto Mono'") : Promise.resolve();
    const late = new Promise(function (resolve) { setTimeout(resolve, 3000); });
    Promise.race([font, late]).catch(function () {}).then(start);
  });
})();

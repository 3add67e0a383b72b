// The player page on the content origin: starts h5p-standalone with the options the server
// rendered, and relays every xAPI statement and size change to the site page framing it.
// No inline script: the page's CSP allows only files from this origin.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("h5p-player-config").textContent);
  var container = document.getElementById("h5p-container");

  function post(message) {
    if (window.parent !== window) {
      // Delivered only if the framing page really is the site.
      window.parent.postMessage(message, config.siteOrigin);
    }
  }

  function uuid4() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function reportHeight() {
    post({type: "learning-h5p:resize", height: document.documentElement.scrollHeight});
  }

  new H5PStandalone.H5P(container, config.options).then(function () {
    container.removeAttribute("aria-busy");
    H5P.externalDispatcher.on("xAPI", function (event) {
      var statement = JSON.parse(JSON.stringify(event.data.statement));
      // An id per statement makes retries idempotent on the server.
      statement.id = statement.id || uuid4();
      post({type: "learning-h5p:xapi", statement: statement});
    });
    reportHeight();
  });

  if (window.ResizeObserver) {
    new ResizeObserver(reportHeight).observe(document.body);
  } else {
    window.setInterval(reportHeight, 1000);
  }
})();

// Site page side of the H5P activity block: accepts messages only from the frame of a block,
// sent from that activity's own origin and about that activity only; POSTs statements with
// the learner's session and CSRF token, resizes the frame and shows the learner's progress.
(function () {
  "use strict";
  if (window.learningH5PActivity) { return; }
  window.learningH5PActivity = true;

  var RETRIES = 3;

  function blockFor(event) {
    var blocks = document.querySelectorAll("[data-h5p-activity]");
    for (var i = 0; i < blocks.length; i++) {
      var frame = blocks[i].querySelector("iframe");
      if (frame && frame.contentWindow === event.source &&
          blocks[i].getAttribute("data-h5p-origin") === event.origin) {
        return {root: blocks[i], frame: frame};
      }
    }
    return null;
  }

  function showProgress(root, data) {
    var status = root.querySelector("[data-h5p-status]");
    if (!status || !data || !data.progress) { return; }
    data.progress.forEach(function (item) {
      if (String(item.page) === root.getAttribute("data-h5p-page") &&
          String(item.content) === root.getAttribute("data-h5p-content")) {
        status.textContent = item.status;
        root.setAttribute("data-h5p-completed", item.completed ? "true" : "false");
      }
    });
  }

  // Statements arriving together (a question set sends each answer, then its completion)
  // travel in one request; the server stores a list all or nothing.
  var FLUSH_DELAY = 150;

  function send(root, statements, attempt) {
    fetch(root.getAttribute("data-h5p-endpoint"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": root.getAttribute("data-csrf")},
      body: JSON.stringify(statements.length === 1 ? statements[0] : statements)
    }).then(function (response) {
      if (response.status >= 500 || response.status === 429) { throw new Error(String(response.status)); }
      return response.json().then(function (data) {
        if (response.ok) { showProgress(root, data); }
      });
    }).catch(function () {
      // Network trouble: the same statement ids again are stored at most once.
      if (attempt < RETRIES) {
        window.setTimeout(function () { send(root, statements, attempt + 1); }, 2000 * attempt);
      }
    });
  }

  function enqueue(root, statement) {
    root.learningH5PQueue = root.learningH5PQueue || [];
    root.learningH5PQueue.push(statement);
    if (!root.learningH5PTimer) {
      root.learningH5PTimer = window.setTimeout(function () {
        var statements = root.learningH5PQueue;
        root.learningH5PQueue = [];
        root.learningH5PTimer = null;
        send(root, statements, 1);
      }, FLUSH_DELAY);
    }
  }

  // A frame may report only on its own activity (its IRI, or a question inside it):
  // a package cannot record results for another activity through this relay.
  function isOwnActivity(root, statement) {
    var iri = root.getAttribute("data-h5p-iri");
    var id = statement.object && statement.object.id;
    return typeof id === "string" && !!iri && (id === iri || id.indexOf(iri + "?") === 0);
  }

  // The player loads only when the learner opens the activity: the frame waits in a
  // <template> (the link it replaces reloads the page with the frame when scripts are off).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-h5p-open]");
    var root = link && link.closest("[data-h5p-activity]");
    var template = root && root.querySelector("template[data-h5p-frame]");
    if (!template) { return; }
    event.preventDefault();
    var opener = link.closest(".h5p-activity-open") || link;
    opener.parentNode.replaceChild(template.content.cloneNode(true), opener);
    template.parentNode.removeChild(template);
    var frame = root.querySelector("iframe.h5p-activity-frame");
    if (frame) { frame.focus(); }
  });

  window.addEventListener("message", function (event) {
    var found = blockFor(event);
    var data = event.data;
    if (!found || !data || typeof data !== "object") { return; }
    if (data.type === "learning-h5p:xapi" && data.statement && typeof data.statement === "object" &&
        isOwnActivity(found.root, data.statement)) {
      // An editor's preview is never recorded.
      if (!found.root.hasAttribute("data-h5p-preview")) { enqueue(found.root, data.statement); }
    } else if (data.type === "learning-h5p:resize" && typeof data.height === "number") {
      found.frame.style.height = Math.min(Math.max(data.height, 80), 10000) + "px";
    }
  });
})();

// A learner's lesson page follows their progress: when an H5P activity of the lesson
// reports a finished attempt (the activity block sets data-h5p-completed once the site has
// stored it), fetch the lesson's state and show what changed: the lesson done, the
// "N of M" count, the check marks, the next lesson open and a prompt to continue.
// Progressive enhancement: without this file a reload shows the same.
(function () {
  "use strict";
  var root = document.querySelector("[data-lesson-state-url]");
  if (!root || !window.fetch || !window.MutationObserver) { return; }
  var url = root.getAttribute("data-lesson-state-url");
  var ATTEMPTS = 3;
  var timer = null;

  function fill(selector, html) {
    var element = document.querySelector(selector);
    if (element && typeof html === "string") { element.innerHTML = html; }
  }

  function show(data) {
    fill("[data-lesson-status]", data.html.status);
    fill("[data-lesson-nav]", data.html.nav);
    fill("[data-lesson-syllabus]", data.html.syllabus);
    var badge = document.querySelector("[data-lesson-done-badge]");
    if (badge) { badge.hidden = !data.done; }
    if (data.done) {
      root.setAttribute("data-lesson-done", "true");
      // The "mark as done" form has nothing left to do.
      var form = document.querySelector("form[data-lesson-complete-form]");
      if (form) { form.remove(); }
    }
  }

  function refresh(attempt) {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.html) { return; }
        show(data);
        // The lesson completes in the same request that stored the activity's result;
        // look again briefly in case another activity of the page is still being sent.
        if (!data.done && attempt < ATTEMPTS) {
          window.setTimeout(function () { refresh(attempt + 1); }, 1000 * attempt);
        }
      })
      .catch(function () {
        if (attempt < ATTEMPTS) {
          window.setTimeout(function () { refresh(attempt + 1); }, 2000 * attempt);
        }
      });
  }

  function schedule() {
    if (root.getAttribute("data-lesson-done") === "true") { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { refresh(1); }, 100);
  }

  var observer = new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      if (records[i].target.getAttribute("data-h5p-completed") === "true") {
        schedule();
        return;
      }
    }
  });
  var activities = document.querySelectorAll("[data-h5p-activity]");
  for (var i = 0; i < activities.length; i++) {
    observer.observe(activities[i], {attributes: true, attributeFilter: ["data-h5p-completed"]});
  }
})();

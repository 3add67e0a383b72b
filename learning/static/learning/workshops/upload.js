// Trainer page: upload each chosen file on its own request, with a progress bar and its
// own answer. Without this script the form posts all files at once and the page lists
// each file's outcome.
(function () {
  "use strict";
  if (!window.FormData || !window.XMLHttpRequest) { return; }

  // "flipchart_group3.jpg" -> "Flipchart group 3" (the server titles files the same way).
  function guessTitle(name) {
    var stem = name.replace(/\.[^.]*$/, "");
    var words = stem.replace(/[_\-.]+/g, " ").replace(/\b([a-z]{3,})(\d)/g, "$1 $2");
    words = words.split(/\s+/).filter(Boolean).join(" ");
    if (words && words === words.toLowerCase()) { words = words.charAt(0).toUpperCase() + words.slice(1); }
    return words || name;
  }

  function guessKind(name, guesses) {
    var match = /\.([^.]+)$/.exec(name);
    return (match && guesses[match[1].toLowerCase()]) || "handout";
  }

  function copySelect(source, name, value, label) {
    var select = source.cloneNode(true);
    select.removeAttribute("id");
    select.name = name;
    select.setAttribute("aria-label", label);
    select.value = value;
    return select;
  }

  function uploadOne(form, file, shared, item, strings) {
    return new Promise(function (resolve) {
      var limit = parseInt(form.dataset.maxSize, 10);
      if (limit && file.size > limit) {
        // Spare a slow connection an upload the server would refuse anyway.
        item.classList.add("upload-error");
        item.querySelector("[data-status]").textContent = strings.failed + ": " + strings.tooLarge;
        resolve();
        return;
      }
      var data = new FormData();
      var own = ["title", "kind", "language", "visibility"];
      shared.forEach(function (pair) {
        if (own.indexOf(pair[0]) === -1) { data.append(pair[0], pair[1]); }
      });
      item.querySelectorAll("[data-file-field]").forEach(function (field) {
        data.append(field.name, field.value);
        field.disabled = true;
      });
      data.append("files", file, file.name);
      var bar = item.querySelector("progress");
      var status = item.querySelector("[data-status]");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) { bar.value = event.loaded / event.total; }
      });
      xhr.addEventListener("load", function () {
        var answer = null;
        try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = null; }
        if (answer && answer.ok) {
          bar.value = 1;
          item.classList.add("upload-ok");
          status.textContent = strings.added + ": " + answer.title;
        } else {
          // Refused: no full bar that reads as success.
          bar.value = 0;
          bar.hidden = true;
          item.classList.add("upload-error");
          var message = answer && answer.error;
          if (!message && answer && answer.errors) {
            message = Object.keys(answer.errors).map(function (key) {
              return answer.errors[key].map(function (e) { return e.message; }).join(" ");
            }).join(" ");
          }
          status.textContent = strings.failed + ": " + (message || strings.network);
        }
        resolve();
      });
      xhr.addEventListener("error", function () {
        bar.hidden = true;
        item.classList.add("upload-error");
        status.textContent = strings.failed + ": " + strings.network;
        resolve();
      });
      xhr.send(data);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-upload-form]");
    var templateStrings = document.querySelector("[data-upload-strings]");
    if (!form || !templateStrings) { return; }
    var strings = templateStrings.dataset;
    var input = form.querySelector("input[type=file][name=files]");
    var list = form.querySelector("[data-upload-list]");
    var done = form.querySelector("[data-upload-done]");
    var guesses = JSON.parse(form.dataset.kindGuesses || "{}");
    var kindSelect = form.querySelector("select[name=kind]");
    var languageSelect = form.querySelector("select[name=language]");
    var visibilitySelect = form.querySelector("select[name=visibility]");
    var titleInput = form.querySelector("input[name=title]");
    // Each file gets its own title, kind, language and visibility (guessed or defaulted,
    // editable before upload): the shared fields for them step aside.
    [titleInput, kindSelect, languageSelect, visibilitySelect].forEach(function (field) {
      if (field && field.closest("p")) { field.closest("p").hidden = true; }
    });
    var items = [];

    function buildRows() {
      var files = Array.prototype.slice.call(input.files);
      list.innerHTML = "";
      list.hidden = !files.length;
      done.hidden = true;
      items = files.map(function (file, index) {
        var item = document.createElement("li");
        item.className = "upload-item";
        var name = document.createElement("span");
        name.className = "upload-name";
        name.textContent = file.name;
        var title = document.createElement("input");
        title.type = "text";
        title.name = "title";
        title.maxLength = 255;
        title.value = guessTitle(file.name);
        title.setAttribute("aria-label", strings.titleLabel + ": " + file.name);
        title.setAttribute("data-file-field", "");
        var kind = copySelect(kindSelect, "kind", guessKind(file.name, guesses), strings.kindLabel + ": " + file.name);
        kind.setAttribute("data-file-field", "");
        var language = copySelect(languageSelect, "language", languageSelect.value, strings.languageLabel + ": " + file.name);
        language.setAttribute("data-file-field", "");
        var visibility = copySelect(visibilitySelect, "visibility", visibilitySelect.value, strings.visibilityLabel + ": " + file.name);
        visibility.setAttribute("data-file-field", "");
        var bar = document.createElement("progress");
        bar.max = 1;
        bar.value = 0;
        var status = document.createElement("span");
        status.setAttribute("data-status", "");
        status.textContent = index === 0 ? strings.ready : "";
        [name, title, kind, language, visibility, bar, status].forEach(function (child) { item.appendChild(child); });
        list.appendChild(item);
        return item;
      });
    }

    function refreshList() {
      var current = document.querySelector("[data-material-list]");
      if (!current || !window.fetch) { return Promise.resolve(); }
      return fetch(window.location.href, {credentials: "same-origin"}).then(function (response) {
        return response.text();
      }).then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-material-list]");
        if (fresh) { current.replaceWith(fresh); }
      }).catch(function () { done.hidden = false; });
    }

    input.addEventListener("change", buildRows);
    form.addEventListener("submit", function (event) {
      if (!input.files.length) { return; }  // let the server say a file is needed
      event.preventDefault();
      var shared = [];
      new FormData(form).forEach(function (value, key) {
        if (key !== "files") { shared.push([key, value]); }
      });
      var files = Array.prototype.slice.call(input.files);
      if (items.length !== files.length) { buildRows(); }
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      items.forEach(function (item) { item.querySelector("[data-status]").textContent = strings.uploading; });
      // One file after the other: fair to slow connections, and each answer comes in order.
      files.reduce(function (previous, file, index) {
        return previous.then(function () { return uploadOne(form, file, shared, items[index], strings); });
      }, Promise.resolve()).then(function () {
        button.disabled = false;
        input.value = "";
        items = [];
        return refreshList();
      }).then(function () { done.hidden = false; });
    });
  });
})();

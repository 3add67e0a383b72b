// Trainer page: upload each chosen file on its own request, with a progress bar and its
// own answer. Without this script the form posts all files at once and the page lists
// each file's outcome.
(function () {
  "use strict";
  if (!window.FormData || !window.XMLHttpRequest) { return; }

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
      shared.forEach(function (pair) { data.append(pair[0], pair[1]); });
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
        bar.value = 1;
        if (answer && answer.ok) {
          item.classList.add("upload-ok");
          status.textContent = strings.added + ": " + answer.title;
        } else {
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
    form.addEventListener("submit", function (event) {
      if (!input.files.length) { return; }  // let the server say a file is needed
      event.preventDefault();
      var shared = [];
      new FormData(form).forEach(function (value, key) {
        if (key !== "files") { shared.push([key, value]); }
      });
      var files = Array.prototype.slice.call(input.files);
      list.innerHTML = "";
      list.hidden = false;
      done.hidden = true;
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      var items = files.map(function (file) {
        var item = document.createElement("li");
        var name = document.createElement("span");
        name.className = "upload-name";
        name.textContent = file.name;
        var bar = document.createElement("progress");
        bar.max = 1;
        bar.value = 0;
        var status = document.createElement("span");
        status.setAttribute("data-status", "");
        status.textContent = strings.uploading;
        item.appendChild(name);
        item.appendChild(bar);
        item.appendChild(status);
        list.appendChild(item);
        return item;
      });
      // One file after the other: fair to slow connections, and each answer comes in order.
      files.reduce(function (previous, file, index) {
        return previous.then(function () { return uploadOne(form, file, shared, items[index], strings); });
      }, Promise.resolve()).then(function () {
        button.disabled = false;
        input.value = "";
        done.hidden = false;
      });
    });
  });
})();

// Browsers that block storage in third-party frames (Safari, strict privacy settings, some
// headless setups) throw on any access to localStorage. H5P core touches it while setting
// up each content (its offline request queue) and then stops half-way: no resizing, no
// resume state. Give it a memory store for this page instead. Loaded from the content origin.
(function () {
  "use strict";
  function memoryStorage() {
    var data = {};
    return {
      getItem: function (key) {
        return Object.prototype.hasOwnProperty.call(data, key) ? data[key] : null;
      },
      setItem: function (key, value) { data[key] = String(value); },
      removeItem: function (key) { delete data[key]; },
      clear: function () { data = {}; },
      key: function (index) { return Object.keys(data)[index] || null; },
      get length() { return Object.keys(data).length; }
    };
  }
  ["localStorage", "sessionStorage"].forEach(function (name) {
    try {
      window[name].getItem("learning-h5p-probe");
    } catch (error) {
      try {
        Object.defineProperty(window, name, {configurable: true, value: memoryStorage()});
      } catch (ignored) { /* nothing more we can do */ }
    }
  });
})();

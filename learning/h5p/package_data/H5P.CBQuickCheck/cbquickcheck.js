/**
 * H5P.CBQuickCheck: one question, answer options, a Check button.
 *
 * Written for the Capacity Building Platform. On Check it reports the answer with
 * triggerXAPIScored(score, 1, 'answered'), i.e. one top-level xAPI "answered" statement
 * with result.score and result.success, which the platform turns into activity progress.
 * All texts come from the content's parameters and are inserted as text, never as HTML.
 */
var H5P = H5P || {};

H5P.CBQuickCheck = (function (EventDispatcher) {
  'use strict';

  var DEFAULT_L10N = {
    check: 'Check',
    retry: 'Retry',
    correct: 'Correct!',
    incorrect: 'Not quite. The right answer is marked.',
    chooseOne: 'Choose an answer first.'
  };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function QuickCheck(params, contentId, extras) {
    EventDispatcher.call(this);
    params = params || {};
    this.contentId = contentId;
    this.question = String(params.question || '');
    this.answers = (params.answers || []).map(function (answer) {
      return {text: String(answer.text || ''), correct: !!answer.correct};
    });
    this.l10n = {};
    for (var key in DEFAULT_L10N) {
      this.l10n[key] = (params.l10n && params.l10n[key]) || DEFAULT_L10N[key];
    }
    var previous = extras && extras.previousState;
    this.selected = previous && typeof previous.selected === 'number' ? previous.selected : null;
    this.checked = !!(previous && previous.checked);
  }

  QuickCheck.prototype = Object.create(EventDispatcher.prototype);
  QuickCheck.prototype.constructor = QuickCheck;

  QuickCheck.prototype.attach = function ($container) {
    var self = this;
    var root = $container.get ? $container.get(0) : $container;
    root.classList.add('h5p-cbquickcheck');
    root.textContent = '';

    var form = el('form', 'h5p-cbquickcheck-form');
    var fieldset = el('fieldset', 'h5p-cbquickcheck-options');
    var legend = el('legend', 'h5p-cbquickcheck-question', self.question);
    fieldset.appendChild(legend);
    var name = 'h5p-cbquickcheck-' + self.contentId;
    self.optionNodes = self.answers.map(function (answer, index) {
      var label = el('label', 'h5p-cbquickcheck-option');
      var input = el('input');
      input.type = 'radio';
      input.name = name;
      input.value = String(index);
      input.checked = self.selected === index;
      input.addEventListener('change', function () {
        self.selected = index;
      });
      label.appendChild(input);
      label.appendChild(document.createTextNode(' ' + answer.text));
      fieldset.appendChild(label);
      return {label: label, input: input};
    });
    form.appendChild(fieldset);

    self.button = el('button', 'h5p-cbquickcheck-button', self.l10n.check);
    self.button.type = 'submit';
    form.appendChild(self.button);
    self.feedback = el('p', 'h5p-cbquickcheck-feedback');
    self.feedback.setAttribute('role', 'status');
    self.feedback.setAttribute('aria-live', 'polite');
    form.appendChild(self.feedback);

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (self.checked) {
        self.resetTask();
      } else {
        self.check();
      }
    });
    root.appendChild(form);
    if (self.checked && self.selected !== null) {
      self.showResult();
    }
    self.trigger('resize');
  };

  QuickCheck.prototype.check = function () {
    if (this.selected === null) {
      this.feedback.textContent = this.l10n.chooseOne;
      return;
    }
    this.checked = true;
    this.showResult();
    var score = this.getScore();
    this.triggerXAPIScored(score, this.getMaxScore(), 'answered', true, score === this.getMaxScore());
  };

  QuickCheck.prototype.showResult = function () {
    var self = this;
    self.optionNodes.forEach(function (node, index) {
      node.input.disabled = true;
      if (self.answers[index].correct) {
        node.label.classList.add('is-correct');
      } else if (index === self.selected) {
        node.label.classList.add('is-wrong');
      }
    });
    self.feedback.textContent = self.getScore() ? self.l10n.correct : self.l10n.incorrect;
    self.button.textContent = self.l10n.retry;
    self.trigger('resize');
  };

  QuickCheck.prototype.getScore = function () {
    return this.selected !== null && this.answers[this.selected] && this.answers[this.selected].correct ? 1 : 0;
  };

  QuickCheck.prototype.getMaxScore = function () {
    return 1;
  };

  QuickCheck.prototype.getAnswerGiven = function () {
    return this.selected !== null;
  };

  QuickCheck.prototype.showSolutions = function () {
    this.showResult();
  };

  QuickCheck.prototype.resetTask = function () {
    this.selected = null;
    this.checked = false;
    if (!this.optionNodes) {
      return;
    }
    this.optionNodes.forEach(function (node) {
      node.input.disabled = false;
      node.input.checked = false;
      node.label.classList.remove('is-correct', 'is-wrong');
    });
    this.feedback.textContent = '';
    this.button.textContent = this.l10n.check;
    this.trigger('resize');
  };

  QuickCheck.prototype.getCurrentState = function () {
    return {selected: this.selected, checked: this.checked};
  };

  QuickCheck.prototype.getTitle = function () {
    return H5P.createTitle ? H5P.createTitle(this.question) : this.question;
  };

  return QuickCheck;
})(H5P.EventDispatcher);

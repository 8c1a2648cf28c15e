/* Quiz pages, progressive enhancement only: every page works without this file.
   - a read-aloud button per question, where the browser can speak (speechSynthesis);
   - a countdown that hands the quiz in when time is up;
   - answers saved as they are ticked, so an attempt closed at its deadline keeps them;
   - one hand-in per tap (the server makes it one result anyway);
   - print buttons on paper quiz sheets. */
(function () {
  "use strict";
  function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }

  var synth = window.speechSynthesis;
  if (synth && window.SpeechSynthesisUtterance) {
    var lang = document.documentElement.lang || "zh-CN";
    each(".read-aloud", function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var question = button.closest(".question");
        var parts = [question.querySelector(".qstem").textContent];
        Array.prototype.forEach.call(question.querySelectorAll(".otext"), function (option) {
          parts.push(option.textContent);
        });
        synth.cancel();
        var utterance = new SpeechSynthesisUtterance(parts.join("。"));
        utterance.lang = lang;
        utterance.rate = 0.9;
        synth.speak(utterance);
      });
    });
  }

  var form = document.querySelector(".quiz-form");
  if (form) {
    var sent = false, pending = null;
    form.addEventListener("submit", function () {
      sent = true;
      each(".quiz-form [type=submit]", function (button) { button.disabled = true; });
    });
    var saveUrl = form.getAttribute("data-save"), dirty = false;
    var save = function () {
      dirty = false;
      if (!sent && window.fetch && window.FormData) {
        fetch(saveUrl, { method: "POST", body: new FormData(form), credentials: "same-origin" })
          .catch(function () { /* offline for a moment: the hand-in sends everything */ });
      }
    };
    form.addEventListener("change", function () {
      dirty = true;
      clearTimeout(pending);
      pending = setTimeout(save, 800);
    });
    // Leaving the page (the large-text switch reloads it) keeps what was ticked.
    window.addEventListener("pagehide", function () {
      if (dirty && !sent && navigator.sendBeacon && window.FormData) {
        navigator.sendBeacon(saveUrl, new FormData(form));
      }
    });
    var box = document.querySelector(".quiz-timer");
    var shown = box && box.querySelector(".countdown");
    var remaining = box ? parseInt(box.getAttribute("data-remaining"), 10) : NaN;
    if (shown && !isNaN(remaining)) {
      // Counted from the server's figure, not the phone's clock, which may be wrong.
      var end = Date.now() + remaining * 1000;
      shown.hidden = false;
      var tick = function () {
        var left = Math.max(0, Math.round((end - Date.now()) / 1000));
        shown.textContent = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2);
        if (left === 0) {
          if (!sent) { sent = true; form.submit(); }
          return;
        }
        setTimeout(tick, 1000);
      };
      tick();
    }
  }

  each("[data-print]", function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();


(function () {
  "use strict";
  var root = document.documentElement;
  var panel = document.querySelector("aside.panel");
  var current = null;
  function show(stmt) {
    var card = document.getElementById(stmt.getAttribute("aria-describedby"));
    if (!card || card === current) return;
    if (current) current.classList.remove("current");
    card.classList.add("current");
    current = card;
    if (panel && panel.scrollHeight > panel.clientHeight) {
      panel.scrollTop = Math.max(0, card.offsetTop - 8);
    }
  }
  var all = document.querySelectorAll(".article .stmt");
  for (var i = 0; i < all.length; i++) {
    (function (s) {
      s.addEventListener("focus", function () { show(s); });
      s.addEventListener("mouseenter", function () { show(s); });
    })(all[i]);
  }
  // Markers for tests: the stylesheet applies (pop-ups hidden until wanted),
  // and this script ran to its end.
  var pop = document.querySelector(".pop");
  if (pop && window.getComputedStyle(pop).display === "none") root.setAttribute("data-styled", "yes");
  root.setAttribute("data-script", "ran");
})();

// Opens the app once, automatically, when the page asks for it (data-auto="1").
document.addEventListener("DOMContentLoaded", function () {
  var link = document.getElementById("open-app");
  if (link && link.getAttribute("data-auto") === "1") {
    window.location.href = link.getAttribute("href");
  }
});

document.querySelector("h1").textContent += " (v1)";

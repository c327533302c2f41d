// A picture that fails to load (its host gone, a hot-link refused) becomes, in place, the dashed
// box the local image mode writes at build time: what the picture showed and a link to the
// original, never a broken-image icon.  Loaded in <head> so it hears every error; without a
// script the browser shows the alt text.
document.addEventListener("error", (event) => {
  const img = event.target;
  if (!(img instanceof HTMLImageElement) || !img.closest(".entry-body, .comment-body")) return;
  if (img.classList.contains("link-card-thumb")) { img.remove(); return; }  // the card still names its link
  const zoom = img.parentElement.matches("a.zoom") ? img.parentElement : null;
  const target = zoom || img;
  const inLink = target.parentElement.closest("a") !== null;  // no link inside a link
  const box = document.createElement(inLink ? "span" : "a");
  box.className = "image-unavailable";
  if (!inLink) {
    box.href = zoom ? zoom.href : img.src;
    box.title = "原图：" + box.href;
  }
  const label = document.createElement("span");
  label.className = "image-unavailable-label";
  label.textContent = img.alt.trim() ? "图片未能保存：" + img.alt.trim() : "图片未能保存";
  box.append(label);
  const width = img.getAttribute("width"), height = img.getAttribute("height");
  if (width && height) {
    const size = document.createElement("span");
    size.className = "image-unavailable-size";
    size.textContent = width + " × " + height;
    box.append(size);
  }
  target.replaceWith(box);
}, true);

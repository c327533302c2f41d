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
  // A picture on another site (image mode "remote") could not be loaded now; a copy in the site was not saved.
  const remote = /^(https?:)?\/\//i.test(img.getAttribute("src") || "");
  const said = remote ? "图片无法加载" : "图片未能保存";
  label.textContent = img.alt.trim() ? said + "：" + img.alt.trim() : said;
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

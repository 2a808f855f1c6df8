// The fidelity fixture's script (external, so a strict CSP allows it): draws the canvas,
// builds the shadow-DOM component and scrolls the sticky table.
const canvas = document.querySelector('canvas#chart');
const ctx = canvas.getContext('2d');
const bars = [40, 85, 62, 110, 74, 96, 58];
ctx.fillStyle = '#f8fafc';
ctx.fillRect(0, 0, canvas.width, canvas.height);
bars.forEach((h, i) => {
  ctx.fillStyle = i % 2 ? '#0ea5e9' : '#f97316';
  ctx.fillRect(10 + i * 26, canvas.height - 10 - h, 18, h);
});
ctx.strokeStyle = '#111827';
ctx.lineWidth = 2;
ctx.beginPath();
ctx.moveTo(6, canvas.height - 10);
ctx.lineTo(canvas.width - 6, canvas.height - 10);
ctx.stroke();

const sheet = new CSSStyleSheet();
sheet.replaceSync(`
  :host { display: block; }
  .card { border: 2px solid #9333ea; border-radius: 10px; padding: 8px; background: #faf5ff; }
  .name { font-weight: 700; color: #6b21a8; }
  .price { font-size: 24px; color: #111; }
  .tag { display: inline-block; background: #9333ea; color: #fff; border-radius: 4px;
    padding: 0 6px; font-size: 11px; }
`);
class PriceTag extends HTMLElement {
  connectedCallback() {
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [sheet];
    root.innerHTML = `<div class="card"><div class="name">${this.dataset.name}</div>
      <div class="price">${this.dataset.price}</div><span class="tag">in stock</span></div>`;
  }
}
customElements.define('price-tag', PriceTag);

document.querySelector('.scroller').scrollTop = 200;

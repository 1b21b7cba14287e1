/// The single page `lyrics serve` shows: pick a model, type a seed, set length, temperature and
/// top-k, get lyrics. It only talks to the JSON API, so whatever the page can do a script can too.
enum WebPage {
    static let html = """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>lyrics</title>
    <style>
      body { font-family: Georgia, serif; max-width: 760px; margin: 2em auto; padding: 0 1em; color: #222; }
      h1 { font-weight: normal; }
      label { display: block; margin: .6em 0 .2em; font-family: sans-serif; font-size: .9em; }
      select, textarea, input { font-size: 1em; padding: .3em; }
      textarea { width: 100%; height: 4em; }
      .row { display: flex; gap: 1.5em; flex-wrap: wrap; }
      button { margin-top: 1em; font-size: 1.05em; padding: .4em 1.4em; }
      #out { white-space: pre-wrap; font-size: 1.1em; line-height: 1.5; background: #faf7f0; padding: 1em; min-height: 6em; }
      #err { color: #b00; font-family: sans-serif; }
      #meta { color: #777; font-family: sans-serif; font-size: .8em; }
    </style>
    </head>
    <body>
    <h1>lyrics</h1>
    <label for="model">Model</label>
    <select id="model"></select> <span id="summary" class="meta"></span>
    <label for="seed">Seed text</label>
    <textarea id="seed" maxlength="1000">the night is</textarea>
    <div class="row">
      <div><label for="length">Length (words or characters)</label><input id="length" type="number" min="1" max="2000" value="60"></div>
      <div><label for="temperature">Temperature (0 = greedy)</label><input id="temperature" type="number" min="0" max="5" step="0.1" value="0.8"></div>
      <div><label for="topk">Top-k</label><input id="topk" type="number" min="1" max="1000" value="10"></div>
      <div><label for="rseed">Random seed (optional)</label><input id="rseed" type="number" min="0"></div>
    </div>
    <button id="go">Write lyrics</button>
    <p id="err"></p>
    <div id="out"></div>
    <p id="meta"></p>
    <script>
    const $ = id => document.getElementById(id);
    let models = [];
    async function loadModels() {
      const r = await fetch('/api/models');
      models = await r.json();
      $('model').innerHTML = models.map(m => `<option value="${m.name}">${m.name} (${m.kind})</option>`).join('');
      showSummary();
    }
    function showSummary() {
      const m = models.find(m => m.name === $('model').value);
      $('summary').textContent = m ? m.summary : '';
    }
    $('model').addEventListener('change', showSummary);
    async function generate() {
      $('err').textContent = ''; $('meta').textContent = ''; $('out').textContent = '…';
      const body = { model: $('model').value, seed: $('seed').value,
        length: Number($('length').value), temperature: Number($('temperature').value), topK: Number($('topk').value) };
      if ($('rseed').value !== '') body.randomSeed = Number($('rseed').value);
      try {
        const r = await fetch('/api/generate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        const j = await r.json();
        if (!r.ok) { $('out').textContent = ''; $('err').textContent = j.error || r.statusText; return; }
        $('out').textContent = j.text;
        $('meta').textContent = `model ${j.model}, random seed ${j.randomSeed}`;
      } catch (e) { $('out').textContent = ''; $('err').textContent = String(e); }
    }
    $('go').addEventListener('click', generate);
    // Query parameters prefill the form (?model=&seed=&length=&temperature=&topk=&rseed=) and
    // ?go=1 generates at once, so a link (or a headless browser) can show a result directly.
    loadModels().then(() => {
      const q = new URLSearchParams(location.search);
      for (const [k, id] of [['model','model'],['seed','seed'],['length','length'],['temperature','temperature'],['topk','topk'],['rseed','rseed']]) {
        if (q.has(k)) $(id).value = q.get(k);
      }
      showSummary();
      if (q.get('go') === '1') generate();
    });
    </script>
    </body>
    </html>
    """
}

// The compare page: forces chosen by name or on the map (by mouse, touch or keyboard), kept in the address
// (#forces=kent,essex); every measure's figures for them side by side, and a dot plot of all forces. Every piece of
// text goes in through textContent.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('compare-data').textContent);
  var SVG = 'http://www.w3.org/2000/svg';
  var byCode = {}, bySlug = {}, byName = {};
  data.forces.forEach(function (f) {
    byCode[f.code] = f;
    bySlug[f.slug] = f;
    [f.name, f.short, f.slug, f.code].forEach(function (n) { byName[n.toLowerCase()] = f; });
  });
  var chosen = [];  // force codes, in the order chosen
  var input = document.getElementById('force-input');
  var help = document.getElementById('force-help');
  var HELP = help.textContent;
  var areas = [].slice.call(document.querySelectorAll('#force-map path[data-code]'));

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function svgEl(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  // Figures to the decimal places the book prints each measure to; a measure without them (none in the table's data
  // file today) gets whole numbers from 100, one decimal from 10 and two below.
  function fmt(v, places) {
    var a = Math.abs(v), d = places !== null && places !== undefined ? places : a >= 100 ? 0 : a >= 10 ? 1 : 2;
    return v.toLocaleString('en-GB', {minimumFractionDigits: d, maximumFractionDigits: d});
  }
  function shown(v, m) { return m.unit === 'percent' ? fmt(v, m.decimals) + '%' : fmt(v, m.decimals); }
  // A change of a percentage is in percentage points.
  function signed(v, m) {
    return (v > 0 ? '+' : v < 0 ? '\u2212' : '') + fmt(Math.abs(v), m.decimals) +
      (m.unit === 'percent' ? ' percentage points' : '');
  }
  function and(names) {
    return names.length < 2 ? names.join('') : names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1];
  }

  // The address: #forces=<slug>,<slug>; a shared link restores the same choice.
  function writeAddress() {
    var hash = chosen.length ? '#forces=' + chosen.map(function (c) { return byCode[c].slug; }).join(',') : '';
    try {
      history.replaceState(null, '', location.pathname + location.search + hash);
    } catch (e) {
      location.hash = hash;
    }
  }
  function readAddress() {
    var match = /(?:^#|&)forces=([^&]*)/.exec(location.hash);
    var wanted = match ? decodeURIComponent(match[1]).split(',') : [];
    var unknown = [];
    chosen = [];
    wanted.forEach(function (w) {
      var f = bySlug[w.trim().toLowerCase()] || byCode[w.trim().toUpperCase()];
      if (f && chosen.indexOf(f.code) < 0) chosen.push(f.code);
      else if (!f && w.trim()) unknown.push(w.trim());
    });
    say(unknown.length ? 'The address names no force called ' + and(unknown) + '.' : '', !!unknown.length);
  }

  function say(text, problem) {
    help.textContent = text || HELP;
    help.classList.toggle('problem', !!problem);
  }

  function add(text) {
    var q = text.trim().toLowerCase();
    if (!q) return;
    var f = byName[q];
    if (!f) {
      var hits = data.forces.filter(function (g) { return g.name.toLowerCase().indexOf(q) >= 0; });
      if (hits.length !== 1) {
        say(hits.length ? '\u201c' + text.trim() + '\u201d matches ' + hits.length + ' forces: type more of the name.'
                        : 'No force matches \u201c' + text.trim() + '\u201d.', true);
        return;
      }
      f = hits[0];
    }
    if (chosen.indexOf(f.code) < 0) chosen.push(f.code);
    input.value = '';
    say('', false);
    update();
  }
  function toggle(code) {
    var i = chosen.indexOf(code);
    if (i < 0) chosen.push(code); else chosen.splice(i, 1);
    update();
  }

  function chips() {
    var list = document.getElementById('chosen');
    list.replaceChildren();
    chosen.forEach(function (code) {
      var f = byCode[code], li = el('li'), button = el('button', null, 'Remove');
      li.appendChild(el('span', null, f.name));
      button.type = 'button';
      button.setAttribute('aria-label', 'Remove ' + f.name);
      button.addEventListener('click', function () { toggle(code); input.focus(); });
      li.appendChild(button);
      list.appendChild(li);
    });
    document.getElementById('clear-forces').hidden = !chosen.length;
    areas.forEach(function (p) {
      var on = chosen.indexOf(p.getAttribute('data-code')) >= 0;
      p.classList.toggle('chosen', on);
      p.setAttribute('aria-selected', String(on));
    });
  }

  function item(dl, term, text) {
    if (text === null || text === undefined || text === '') return;
    dl.appendChild(el('dt', null, term));
    dl.appendChild(el('dd', null, text));
  }

  // Where the site shows a row's figure (addresses from the site's root, where this page is): the force's edition
  // and the chapters, as links; anything else in the field is no link.
  var PLACE = /^(?:editions\/[a-z0-9-]+\/book\/at-a-glance|book\/0(\d)-[a-z0-9-]+)\.html#[a-z0-9-]+$/;
  function shownAt(dl, row) {
    var places = (row.shown_at || '').split('; ').filter(function (a) { return PLACE.test(a); });
    if (!places.length) return;
    var dd = el('dd'), seen = {};
    places.forEach(function (a) {
      var chapter = PLACE.exec(a)[1], text = chapter ? 'chapter ' + chapter : 'the force\u2019s edition';
      if (seen[text]) return;  // one link a page: a chapter's first section that shows it
      seen[text] = true;
      if (dd.childNodes.length) dd.appendChild(document.createTextNode(', '));
      var link = el('a', null, text);
      link.setAttribute('href', a);
      dd.appendChild(link);
    });
    dl.appendChild(el('dt', null, 'Shown in'));
    dl.appendChild(dd);
  }

  function card(m, code) {
    var f = byCode[code], row = m.rows[code], box = el('article', 'force');
    box.setAttribute('data-code', code);
    box.appendChild(el('h3', null, f.name));
    var figure = el('p', 'figure');
    if (row && row.value !== null) {
      var num = el('span', 'num', shown(row.value, m));
      num.setAttribute('data-value', String(row.value));
      figure.appendChild(num);
      if (m.unit !== 'percent') figure.appendChild(el('span', 'unit', ' ' + m.unit));
      // Another force's figure (an area ONS reports as one): said beside the number, and no verdict of its own.
      if (row.shared_with) figure.appendChild(el('span', 'shared', 'shared with ' + byCode[row.shared_with].name));
    } else {
      figure.appendChild(el('span', 'num', 'no figure'));
    }
    box.appendChild(figure);
    var dl = el('dl');
    if (!row) {
      item(dl, 'Period', m.period);
      item(dl, 'Why no figure', 'the table has no row for this force in this period');
    } else {
      item(dl, 'Period', row.period);
      item(dl, 'Figure for', row.area);
      item(dl, 'Residents from', row.basis);
      if (row.ci_low !== null && row.ci_high !== null) {
        item(dl, '95% interval', shown(row.ci_low, m) + ' to ' + shown(row.ci_high, m));
      } else if (row.value !== null) {
        item(dl, '95% interval', row.interval_note && 'none: ' + row.interval_note);
      }
      item(dl, 'Funnel', row.funnel_place && (row.funnel_place +
           (row.funnel_centre ? ', centred on ' + row.funnel_centre +
            (row.funnel_centre_value != null ? ' (' + shown(row.funnel_centre_value, m) + ')' : '') : '')));
      item(dl, 'Against England and Wales', row.vs_england_and_wales);
      item(dl, 'Against parity (1)', row.vs_parity);
      if (row.change_verdict) {
        item(dl, row.previous_period ? 'Change since ' + row.previous_period : 'Change',
             (row.change !== null ? signed(row.change, m) + ': ' : '') + row.change_verdict);
      }
      item(dl, 'Test', row.test);
      item(dl, 'No verdict because', row.reason);
      item(dl, 'Source grade', row.grade);
      shownAt(dl, row);
    }
    box.appendChild(dl);
    return box;
  }

  function ticks(lo, hi, n) {
    var step = Math.pow(10, Math.floor(Math.log10((hi - lo) / n)));
    var err = (hi - lo) / n / step;
    step *= err >= 7.5 ? 10 : err >= 3.5 ? 5 : err >= 1.5 ? 2 : 1;
    var out = [];
    for (var t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(+t.toPrecision(12));
    return out;
  }

  // A dot per force with a figure; England and Wales and the median force as lines; the chosen forces named on rows
  // of their own, with their intervals. Drawn at the width of its column, so its text stays legible on a phone.
  // England and Wales's figure as a chart may draw it: a count's is the forces' total, which would dwarf every force
  // on the same axis, so it is stated (the context line, the caption) and never drawn.
  function drawnEW(m) { return m.total ? null : m.england_and_wales; }

  function chart(holder, m) {
    holder.replaceChildren();
    var ew = drawnEW(m);
    // A figure two forces share is one dot, on the row that carries it, named for its area.
    var all = Object.keys(m.rows).filter(function (c) { return m.rows[c].value !== null && !m.rows[c].shared_with; });
    var W = Math.max(holder.clientWidth, 280), label = Math.min(160, Math.round(W * 0.3));
    var left = label + 10, right = W - 14, top = 34, rowH = 24;
    var xs = [];
    all.forEach(function (c) { xs.push(m.rows[c].value); });
    chosen.forEach(function (c) {
      var r = m.rows[c];
      if (r && r.ci_low !== null) xs.push(r.ci_low);
      if (r && r.ci_high !== null) xs.push(r.ci_high);
    });
    [ew, m.median_force].forEach(function (v) { if (v !== null) xs.push(v); });
    var lo = Math.min.apply(null, xs), hi = Math.max.apply(null, xs), pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.1 || 1;
    lo -= pad; hi += pad;
    function x(v) { return left + (v - lo) / (hi - lo) * (right - left); }
    var axisY = top + rowH * (chosen.length + 1), H = axisY + 26;
    var named = chosen.map(function (c) {
      var r = m.rows[c];
      return byCode[c].name + ' ' + (r && r.value !== null ? shown(r.value, m) : 'no figure');
    });
    var s = svgEl('svg', {width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label':
      m.label + ', ' + m.period + ': ' + all.length + ' forces with a figure, each a dot' +
      (ew !== null ? '; England and Wales ' + shown(ew, m) : '') +
      (m.median_force !== null ? '; median force ' + shown(m.median_force, m) : '') +
      (named.length ? '; chosen: ' + and(named) : '') + '.'});
    ticks(lo, hi, Math.max(2, Math.floor((right - left) / 60))).forEach(function (t) {
      s.appendChild(svgEl('line', {'class': 'grid', x1: x(t), x2: x(t), y1: top - 4, y2: axisY}));
      s.appendChild(svgEl('text', {x: x(t), y: axisY + 16, 'text-anchor': 'middle'}, t.toLocaleString('en-GB', {maximumFractionDigits: 6}) + (m.unit === 'percent' ? '%' : '')));
    });
    s.appendChild(svgEl('line', {'class': 'axis', x1: left, x2: right, y1: axisY, y2: axisY}));
    [[ew, 'ew', 'England and Wales', 12], [m.median_force, 'median', 'Median force', 26]]
      .forEach(function (ref) {
        if (ref[0] === null) return;
        var at = x(ref[0]), end = at > (left + right) / 2;
        s.appendChild(svgEl('line', {'class': ref[1], x1: at, x2: at, y1: ref[3] + 3, y2: axisY}));
        s.appendChild(svgEl('text', {x: end ? at - 4 : at + 4, y: ref[3], 'text-anchor': end ? 'end' : 'start'},
                            ref[2]));
      });
    var y0 = top + rowH / 2;
    s.appendChild(svgEl('text', {x: label, y: y0 + 4, 'text-anchor': 'end'}, 'All forces'));
    all.forEach(function (c) {
      var dot = svgEl('circle', {'class': 'all', cx: x(m.rows[c].value), cy: y0, r: 4});
      dot.appendChild(svgEl('title', {}, (m.rows[c].area || (byCode[c] ? byCode[c].name : c)) + ': ' +
                            shown(m.rows[c].value, m)));
      s.appendChild(dot);
    });
    chosen.forEach(function (c, i) {
      var r = m.rows[c], y = y0 + rowH * (i + 1);
      s.appendChild(svgEl('text', {x: label, y: y + 4, 'text-anchor': 'end'}, byCode[c].short));
      if (!r || r.value === null || r.shared_with) {
        s.appendChild(svgEl('text', {x: left, y: y + 4}, r && r.shared_with
          ? 'same dot as ' + byCode[r.shared_with].short : 'no figure'));
        return;
      }
      if (r.ci_low !== null && r.ci_high !== null) {
        s.appendChild(svgEl('line', {'class': 'whisker', x1: x(r.ci_low), x2: x(r.ci_high), y1: y, y2: y}));
      }
      s.appendChild(svgEl('circle', {'class': 'pick-dot', cx: x(r.value), cy: y, r: 5.5}));
    });
    holder.appendChild(s);
  }

  // The caption says what this chart draws, and nothing it does not: a line only where the measure has its figure,
  // intervals only where a chosen force has one.
  function caption(m) {
    var lines = [];
    if (drawnEW(m) !== null) lines.push('dashed line: England and Wales');
    if (m.median_force !== null) lines.push('dotted line: the median force');
    var text = 'Each dot is a force.' + (lines.length ? ' ' + lines.join('; ').replace(/^d/, 'D') + '.' : '');
    if (m.total && m.england_and_wales !== null) {
      text += ' England and Wales\u2019s total (' + shown(m.england_and_wales, m) + ') is not drawn: beside the ' +
        'forces\u2019 own counts it would dwarf them.';
    }
    if (chosen.length) {
      var whiskers = chosen.some(function (c) {
        var r = m.rows[c];
        return r && r.value !== null && !r.shared_with && r.ci_low !== null && r.ci_high !== null;
      });
      text += ' The chosen forces are named below the dots' + (whiskers ? ', each with its 95% interval where it ' +
        'has one.' : '.');
    }
    return text;
  }

  function measures() {
    var root = document.getElementById('measures');
    root.replaceChildren();
    data.measures.forEach(function (m, i) {
      var section = el('section', 'measure'), heading = el('h2', null, m.label);
      heading.id = 'measure-' + i;
      section.setAttribute('aria-labelledby', heading.id);
      section.setAttribute('data-measure', m.id);
      section.appendChild(heading);
      if (m.definition) section.appendChild(el('p', 'definition', m.definition));
      var context = ['Period: ' + m.period, 'unit: ' + m.unit];
      if (m.england_and_wales !== null) {
        context.push((m.total ? 'England and Wales (all forces together): ' : 'England and Wales: ') +
                     shown(m.england_and_wales, m));
      }
      if (m.median_force !== null) context.push('median force: ' + shown(m.median_force, m));
      section.appendChild(el('p', 'context', context.join(' \u00b7 ')));
      if (chosen.length) {
        var grid = el('div', 'forces');
        chosen.forEach(function (code) { grid.appendChild(card(m, code)); });
        section.appendChild(grid);
      }
      var figure = el('figure', 'chart'), holder = el('div', 'plot');
      figure.appendChild(holder);
      figure.appendChild(el('figcaption', null, caption(m)));
      section.appendChild(figure);
      root.appendChild(section);
      chart(holder, m);
    });
  }

  function update() {
    writeAddress();
    chips();
    measures();
    var names = chosen.map(function (c) { return byCode[c].name; });
    document.getElementById('summary').textContent = chosen.length
      ? 'Comparing ' + chosen.length + ' force' + (chosen.length > 1 ? 's' : '') + ': ' + and(names) + ', on ' +
        data.measures.length + ' measures.'
      : 'No force chosen yet: each measure shows all forces. Add a force by name or on the map.';
  }

  document.getElementById('add-force').addEventListener('click', function () { add(input.value); });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter') { e.preventDefault(); add(input.value); }
  });
  // Choosing a name from the list gives the input the whole name: add it straight away.
  input.addEventListener('input', function () {
    var f = byName[input.value.trim().toLowerCase()];
    if (f && input.value.trim() === f.name) add(input.value);
  });
  document.getElementById('clear-forces').addEventListener('click', function () {
    chosen = [];
    update();
    input.focus();
  });
  // The map: one tab stop (a roving tabindex over its areas, in the document's alphabetical order); the arrow keys,
  // Home, End and the start of a name move between areas, and a click, tap, Space or Enter toggles one's force. The
  // focus ring is drawn over every area (an area's own stroke would be hidden under its neighbours').
  var ring = svgEl('g', {'class': 'focus-ring', 'aria-hidden': 'true'});
  ['outer', 'inner'].forEach(function (cls) { ring.appendChild(svgEl('path', {'class': cls})); });
  ring.style.display = 'none';
  document.getElementById('force-map').appendChild(ring);
  function stop(p) {
    areas.forEach(function (q) { q.setAttribute('tabindex', q === p ? '0' : '-1'); });
  }
  function move(p) {
    stop(p);
    p.focus();
  }
  var typed = '', typedAt = 0;
  function byStart(key) {
    var now = Date.now(), from = areas.indexOf(document.activeElement);
    typed = (now - typedAt < 800 ? typed : '') + key.toLowerCase();
    typedAt = now;
    // A letter, or the same one again, steps to the next force it starts; more letters narrow from the focused area.
    var again = /^(.)\1*$/.test(typed), query = again ? typed[0] : typed, start = again ? from + 1 : from;
    for (var k = 0; k < areas.length; k++) {
      var p = areas[(start + k) % areas.length];
      if (byCode[p.getAttribute('data-code')].name.toLowerCase().indexOf(query) === 0) return p;
    }
    return null;
  }
  areas.forEach(function (p, i) {
    p.addEventListener('click', function () {
      stop(p);
      toggle(p.getAttribute('data-code'));
    });
    p.addEventListener('keydown', function (e) {
      var to = null, printable = e.key.length === 1 && /\S/.test(e.key) && !e.ctrlKey && !e.metaKey && !e.altKey;
      if (!printable && e.key !== 'Shift') typed = '';  // a name typed after another key starts afresh
      if (e.key === 'ArrowRight' || e.key === 'ArrowDown') to = areas[Math.min(i + 1, areas.length - 1)];
      else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') to = areas[Math.max(i - 1, 0)];
      else if (e.key === 'Home') to = areas[0];
      else if (e.key === 'End') to = areas[areas.length - 1];
      else if (e.key === ' ' || e.key === 'Enter') {
        e.preventDefault();  // no page scroll
        toggle(p.getAttribute('data-code'));
        return;
      } else if (printable) {
        to = byStart(e.key);
      } else {
        return;
      }
      e.preventDefault();
      if (to) move(to);
    });
    // Drawn for the keyboard's focus only, as :focus-visible would be; a click shows the area's colour instead.
    p.addEventListener('focus', function () {
      if (!p.matches(':focus-visible')) return;
      ring.querySelectorAll('path').forEach(function (r) { r.setAttribute('d', p.getAttribute('d')); });
      ring.style.display = '';
    });
    p.addEventListener('blur', function () { ring.style.display = 'none'; });
  });
  stop(areas[0]);
  window.addEventListener('hashchange', function () { readAddress(); update(); });
  var width = 0;
  window.addEventListener('resize', function () {
    if (document.getElementById('measures').clientWidth !== width) {
      width = document.getElementById('measures').clientWidth;
      measures();
    }
  });
  readAddress();
  update();
}());

/*
 * Kefu web chat widget (docs/chat.md). Embed with
 *   <script src="https://kefu.example.com/widget.js" data-kefu-key="site_…" async></script>
 * optional: data-kefu-user="<host user id>" data-kefu-user-hash="<HMAC-SHA256 hex>"
 *           data-kefu-lang="en-US" (Chinese by default).
 * No framework: one closed shadow root, one WebSocket. Messages carry client ids and are resent
 * until acknowledged; reconnects resume after the last seq seen, so nothing is lost or doubled.
 */
(function () {
  'use strict';
  var script = document.currentScript || document.querySelector('script[data-kefu-key]');
  if (!script || window.__kefuChat) return;
  window.__kefuChat = true;
  var key = script.getAttribute('data-kefu-key');
  var base = new URL(script.src, location.href).origin;
  var lang = script.getAttribute('data-kefu-lang') === 'en-US' ? 'en' : 'zh';
  var T = {
    zh: {
      title: '在线客服',
      bot: '智能助手',
      open: '在线客服',
      placeholder: '请输入您的问题…',
      send: '发送',
      person: '转人工',
      solved: '已解决',
      notSolved: '没解决',
      askSolved: '这个回答解决您的问题了吗？',
      welcome: '您好！我是智能助手，请直接描述您的问题。',
      rephrase: '抱歉没能帮到您，换个说法再试试，或点击“转人工”。',
      glad: '很高兴帮到您！还有其他问题随时问我。',
      queued: '正在为您转接人工客服，请稍候…',
      accepted: '客服 {name} 为您服务',
      transferred: '正在为您转接其他客服…',
      closed: '本次会话已结束。',
      idle: '您已 {n} 分钟未回复，本次会话已结束。如需帮助请重新发起。',
      attach: '发送图片或文件',
      tooLarge: '文件太大，无法发送。',
      badType: '不支持该文件类型。',
      needPerson: '转人工后才能发送文件。',
      uploadFailed: '文件发送失败，请重试。',
      offline: '现在是非工作时间，请留言，我们上班后会尽快联系您。',
      taken: '留言已收到，工单号 {number}。',
      name: '您的称呼',
      contact: '手机或邮箱',
      message: '留言内容',
      leave: '提交留言',
      typing: '客服正在输入…',
      read: '已读',
      rate: '请为本次服务评分',
      thanks: '感谢您的评价！',
      reconnecting: '连接中断，正在重连…',
      version: '版本',
      close: '关闭',
    },
    en: {
      title: 'Customer service',
      bot: 'Assistant',
      open: 'Chat with us',
      placeholder: 'Type your question…',
      send: 'Send',
      person: 'Talk to a person',
      solved: 'Solved',
      notSolved: 'Not solved',
      askSolved: 'Did this solve it?',
      welcome: 'Hello! I am the assistant; describe your question.',
      rephrase: 'Sorry; try other words, or ask for a person.',
      glad: 'Glad it helped!',
      queued: 'Connecting you to a person…',
      accepted: '{name} is helping you',
      transferred: 'Transferring you to a colleague…',
      closed: 'This conversation has ended.',
      idle: 'No reply for {n} minutes: this conversation has ended. Write again any time.',
      attach: 'Send an image or file',
      tooLarge: 'The file is too large to send.',
      badType: 'This type of file is not accepted.',
      needPerson: 'Files can be sent once a person has the chat.',
      uploadFailed: 'The file could not be sent; try again.',
      offline: 'We are closed now. Leave a message and we will contact you.',
      taken: 'Message received, ticket {number}.',
      name: 'Your name',
      contact: 'Phone or email',
      message: 'Your message',
      leave: 'Send message',
      typing: 'Agent is typing…',
      read: 'Read',
      rate: 'Please rate this chat',
      thanks: 'Thank you!',
      reconnecting: 'Reconnecting…',
      version: 'version',
      close: 'Close',
    },
  }[lang];
  var fmt = function (s, o) {
    return s.replace(/\{(\w+)\}/g, function (_, k) {
      return o[k] == null ? '' : String(o[k]);
    });
  };
  var store = 'kefu_chat_' + key;
  var saved = {};
  try {
    saved = JSON.parse(localStorage.getItem(store) || '{}');
  } catch {
    saved = {};
  }
  var state = { conv: null, token: saved.token, lastSeq: 0, chatState: 'bot', open: true };
  var pending = {}; // cid -> body, until acknowledged
  var seen = {}; // seq -> true
  var ws = null;
  var retry = 0;
  var agentRead = 0;

  var host = document.createElement('div');
  host.setAttribute('data-kefu-widget', '');
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  root.innerHTML =
    '<style>' +
    ':host{all:initial}*{box-sizing:border-box;font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif}' +
    '.btn{position:fixed;right:16px;bottom:16px;z-index:2147483000;background:#1677ff;color:#fff;border:0;border-radius:24px;padding:12px 18px;font-size:15px;box-shadow:0 4px 12px rgba(0,0,0,.2);cursor:pointer}' +
    '.panel{position:fixed;right:16px;bottom:16px;z-index:2147483001;width:360px;height:540px;max-height:calc(100vh - 32px);background:#fff;border-radius:12px;box-shadow:0 8px 28px rgba(0,0,0,.25);display:none;flex-direction:column;overflow:hidden}' +
    '.panel.on{display:flex}' +
    '@media (max-width:480px){.panel{right:0;bottom:0;width:100vw;height:100%;max-height:100%;border-radius:0}}' +
    'header{background:#1677ff;color:#fff;padding:12px 14px;display:flex;justify-content:space-between;align-items:center;font-size:16px}' +
    'header button{background:none;border:0;color:#fff;font-size:20px;cursor:pointer}' +
    '.log{flex:1;overflow-y:auto;padding:12px;background:#f5f5f5;font-size:14px}' +
    '.m{margin:6px 0;display:flex;flex-direction:column}.m.me{align-items:flex-end}' +
    '.b{max-width:80%;padding:8px 10px;border-radius:10px;background:#fff;white-space:pre-wrap;word-break:break-word}' +
    '.me .b{background:#1677ff;color:#fff}.sys{align-items:center}.sys .b{background:none;color:#888;font-size:12px}' +
    '.who{font-size:12px;color:#888;margin-bottom:2px}.rd{font-size:11px;color:#999}' +
    '.b a{color:#1677ff;display:block;margin:2px 0}.b small{color:#999}' +
    '.acts{display:flex;gap:6px;margin-top:6px;flex-wrap:wrap}.acts button,.bar button,form button{border:1px solid #1677ff;background:#fff;color:#1677ff;border-radius:14px;padding:4px 10px;cursor:pointer;font-size:13px}' +
    '.bar{display:flex;gap:6px;padding:8px;border-top:1px solid #eee;align-items:center}' +
    '.bar textarea{flex:1;resize:none;height:40px;border:1px solid #ddd;border-radius:8px;padding:8px;font-size:15px}' +
    '.bar .send{background:#1677ff;color:#fff}.typing{font-size:12px;color:#888;padding:0 12px;height:16px}' +
    'form{display:flex;flex-direction:column;gap:6px;padding:8px;background:#fff;border-radius:8px;margin:6px 0}' +
    'form input,form textarea{border:1px solid #ddd;border-radius:6px;padding:6px;font-size:15px}' +
    '.stars button{font-size:22px;border:0;background:none;color:#fadb14;cursor:pointer}' +
    '.status{font-size:12px;color:#d4380d;text-align:center}' +
    '</style>' +
    '<button class="btn" part="button"></button>' +
    '<div class="panel" role="dialog"><header><span class="t"></span><button class="x" aria-label="close">×</button></header>' +
    '<div class="status"></div><div class="log" aria-live="polite"></div><div class="typing"></div>' +
    '<div class="bar"><button class="person"></button><button class="att">📎</button><input class="file" type="file" hidden><textarea></textarea><button class="send"></button></div></div>';
  var $ = function (s) {
    return root.querySelector(s);
  };
  var btn = $('.btn');
  var panel = $('.panel');
  var log = $('.log');
  var input = $('textarea');
  btn.textContent = T.open;
  $('.t').textContent = T.title;
  $('.person').textContent = T.person;
  $('.send').textContent = T.send;
  $('.att').title = T.attach;
  $('.att').setAttribute('aria-label', T.attach);
  input.placeholder = T.placeholder;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function scroll() {
    log.scrollTop = log.scrollHeight;
  }
  function save() {
    try {
      localStorage.setItem(store, JSON.stringify({ token: state.token }));
    } catch {
      /* private mode */
    }
  }
  function sendFrame(f) {
    if (ws && ws.readyState === 1) {
      ws.send(JSON.stringify(f));
      return true;
    }
    return false;
  }
  function addLine(cls, text) {
    var m = el('div', 'm ' + cls);
    m.appendChild(el('div', 'b', text));
    log.appendChild(m);
    scroll();
    return m;
  }

  function render(m) {
    if (seen[m.seq]) return;
    seen[m.seq] = true;
    state.lastSeq = Math.max(state.lastSeq, m.seq);
    var d = m.data || {};
    if (m.author === 'visitor') {
      var mine = root.querySelector('[data-cid="' + (m.clientId || '') + '"]');
      if (mine) {
        mine.setAttribute('data-seq', String(m.seq));
        return;
      }
      var line = addLine('me', d.kind === 'file' ? '📎 ' + m.body : m.body);
      line.setAttribute('data-seq', String(m.seq));
      line.appendChild(el('div', 'rd'));
      return;
    }
    if (m.author === 'system') {
      var text =
        {
          queued: T.queued,
          accepted: fmt(T.accepted, { name: d.agentName }),
          transferred: T.transferred,
          closed: d.idle ? fmt(T.idle, { n: d.minutes }) : T.closed,
          offline: T.offline,
          message_taken: fmt(T.taken, { number: d.number }),
        }[d.kind] || m.body;
      addLine('sys', text);
      if (d.kind === 'offline') offlineForm();
      if (d.kind === 'closed' && d.askRating) ratingForm();
      return;
    }
    var box = el('div', 'm');
    box.appendChild(el('div', 'who', m.author === 'bot' ? T.bot : m.agentName || ''));
    var b = el('div', 'b');
    if (m.author === 'bot' && d.kind === 'answer') {
      (d.articles || []).forEach(function (a) {
        var link = el('a', null, a.title);
        link.href = base + '/help/articles/' + a.id;
        link.target = '_blank';
        link.rel = 'noopener';
        b.appendChild(link);
        if (a.snippet) b.appendChild(el('div', null, a.snippet));
        if (a.version) b.appendChild(el('small', null, T.version + ' ' + a.version));
      });
      b.appendChild(el('div', null, T.askSolved));
      var acts = el('div', 'acts');
      [
        [T.solved, true],
        [T.notSolved, false],
      ].forEach(function (x) {
        var k = el('button', null, x[0]);
        k.onclick = function () {
          acts.remove();
          sendFrame({ t: 'feedback', solved: x[1] });
        };
        acts.appendChild(k);
      });
      b.appendChild(acts);
    } else if (m.author === 'bot') {
      b.textContent = d.kind === 'solved' ? T.glad : d.kind === 'rephrase' ? T.rephrase : m.body;
    } else {
      b.textContent = m.body;
    }
    box.appendChild(b);
    log.appendChild(box);
    scroll();
    if (panel.classList.contains('on')) sendFrame({ t: 'read', seq: m.seq });
  }

  function markRead() {
    root.querySelectorAll('.me[data-seq]').forEach(function (n) {
      var r = n.querySelector('.rd');
      if (r) r.textContent = Number(n.getAttribute('data-seq')) <= agentRead ? T.read : '';
    });
  }

  function offlineForm() {
    var f = el('form');
    var name = el('input');
    name.placeholder = T.name;
    name.required = true;
    var contact = el('input');
    contact.placeholder = T.contact;
    contact.required = true;
    var msg = el('textarea');
    msg.placeholder = T.message;
    msg.required = true;
    f.appendChild(name);
    f.appendChild(contact);
    f.appendChild(msg);
    f.appendChild(el('button', null, T.leave));
    f.onsubmit = function (e) {
      e.preventDefault();
      if (sendFrame({ t: 'leave', name: name.value, contact: contact.value, body: msg.value }))
        f.remove();
    };
    log.appendChild(f);
    scroll();
  }

  function ratingForm() {
    var box = el('div', 'm sys');
    box.appendChild(el('div', 'b', T.rate));
    var stars = el('div', 'stars');
    [1, 2, 3, 4, 5].forEach(function (n) {
      var s = el('button', null, '★');
      s.setAttribute('aria-label', String(n));
      s.onclick = function () {
        sendFrame({ t: 'rate', score: n });
        stars.remove();
      };
      stars.appendChild(s);
    });
    box.appendChild(stars);
    log.appendChild(box);
    scroll();
  }

  function setState(s) {
    state.chatState = s;
    // "Did this solve it?" only while the assistant has the conversation.
    if (s !== 'bot')
      root.querySelectorAll('.acts').forEach(function (n) {
        n.remove();
      });
    $('.person').style.display = s === 'bot' ? '' : 'none';
    // Files go on the ticket, so only once a person has the chat.
    $('.att').style.display = s === 'waiting' || s === 'active' ? '' : 'none';
    var ended = s === 'closed' || s === 'offline';
    input.disabled = ended;
    $('.send').disabled = ended;
  }

  var typingTimer = null;
  function onFrame(f) {
    if (f.t === 'msg') render(f.m);
    else if (f.t === 'ack') {
      delete pending[f.cid];
      var n = root.querySelector('[data-cid="' + f.cid + '"]');
      if (n) n.setAttribute('data-seq', String(f.seq));
      seen[f.seq] = true;
      state.lastSeq = Math.max(state.lastSeq, f.seq);
    } else if (f.t === 'state') setState(f.state);
    else if (f.t === 'typing') {
      $('.typing').textContent = T.typing;
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () {
        $('.typing').textContent = '';
      }, 3000);
    } else if (f.t === 'read') {
      agentRead = Math.max(agentRead, f.seq);
      markRead();
    } else if (f.t === 'taken') setState('offline');
    else if (f.t === 'rated') addLine('sys', T.thanks);
  }

  function connect() {
    var url =
      base.replace(/^http/, 'ws') +
      '/chat/ws?key=' +
      encodeURIComponent(key) +
      '&token=' +
      encodeURIComponent(state.token) +
      '&conversation=' +
      state.conv +
      '&after=' +
      state.lastSeq;
    ws = new WebSocket(url);
    ws.onopen = function () {
      retry = 0;
      $('.status').textContent = '';
      // Unacknowledged messages again, same ids: the server keeps the first.
      Object.keys(pending).forEach(function (cid) {
        sendFrame({ t: 'msg', cid: cid, body: pending[cid] });
      });
    };
    ws.onmessage = function (e) {
      try {
        onFrame(JSON.parse(e.data));
      } catch {
        /* ignore a bad frame */
      }
    };
    ws.onclose = function (e) {
      ws = null;
      if (e.code === 4401) return start(true);
      $('.status').textContent = T.reconnecting;
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 500 * Math.pow(2, retry - 1));
    };
  }

  function start(fresh) {
    var body = { siteKey: key };
    var user = script.getAttribute('data-kefu-user');
    var hash = script.getAttribute('data-kefu-user-hash');
    if (user && hash) {
      body.userId = user;
      body.userHash = hash;
    } else if (state.token && !fresh) body.token = state.token;
    return fetch(base + '/api/v1/public/chat/visit', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
      .then(function (r) {
        if (!r.ok) throw new Error('visit ' + r.status);
        return r.json();
      })
      .then(function (j) {
        var v = j.data;
        state.token = v.token;
        save();
        if (state.conv !== v.conversationId) {
          state.conv = v.conversationId;
          state.lastSeq = 0;
          seen = {};
          log.textContent = '';
          addLine('sys', v.open ? T.welcome : T.offline);
        }
        state.open = v.open;
        setState(v.state);
        connect();
      })
      .catch(function () {
        $('.status').textContent = T.reconnecting;
        setTimeout(start, 3000);
      });
  }

  var cidCounter = 0;
  function submit() {
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    var cid =
      'w' + Date.now().toString(36) + '-' + cidCounter++ + Math.random().toString(36).slice(2, 6);
    pending[cid] = text;
    var line = addLine('me', text);
    line.setAttribute('data-cid', cid);
    line.appendChild(el('div', 'rd'));
    sendFrame({ t: 'msg', cid: cid, body: text });
  }

  // A file: posted to the conversation (the ticket attachments' limits and type checks), then
  // shown like a message (the server's msg event carries the same client id).
  var fileInput = $('.file');
  $('.att').onclick = function () {
    fileInput.click();
  };
  fileInput.onchange = function () {
    var f = fileInput.files && fileInput.files[0];
    fileInput.value = '';
    if (!f) return;
    var cid = 'f' + Date.now().toString(36) + '-' + cidCounter++;
    var line = addLine('me', '📎 ' + f.name);
    line.setAttribute('data-cid', cid);
    line.appendChild(el('div', 'rd'));
    if (/^image\//.test(f.type) && window.URL && URL.createObjectURL) {
      var img = el('img');
      img.src = URL.createObjectURL(f);
      img.style.cssText = 'max-width:180px;max-height:140px;border-radius:6px;margin-top:4px';
      line.querySelector('.b').appendChild(img);
    }
    var fd = new FormData();
    fd.append('clientId', cid);
    fd.append('file', f, f.name);
    fetch(base + '/api/v1/public/chat/conversations/' + state.conv + '/files', {
      method: 'POST',
      headers: { 'x-kefu-chat-key': key, 'x-kefu-chat-token': state.token },
      body: fd,
    })
      .then(function (r) {
        if (r.ok) return r.json();
        line.remove();
        addLine(
          'sys',
          r.status === 413
            ? T.tooLarge
            : r.status === 415
              ? T.badType
              : r.status === 409
                ? T.needPerson
                : T.uploadFailed,
        );
        return null;
      })
      .then(function (j) {
        if (j && j.data) {
          line.setAttribute('data-seq', String(j.data.seq));
          seen[j.data.seq] = true;
        }
      })
      .catch(function () {
        line.remove();
        addLine('sys', T.uploadFailed);
      });
  };

  var lastTyping = 0;
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    } else if (state.chatState === 'active' && Date.now() - lastTyping > 2000) {
      lastTyping = Date.now();
      sendFrame({ t: 'typing' });
    }
  });
  $('.send').onclick = submit;
  $('.person').onclick = function () {
    sendFrame({ t: 'person' });
  };
  var started = false;
  btn.onclick = function () {
    panel.classList.add('on');
    btn.style.display = 'none';
    if (!started) {
      started = true;
      start(false);
    }
  };
  $('.x').onclick = function () {
    panel.classList.remove('on');
    btn.style.display = '';
  };
  (document.body || document.documentElement).appendChild(host);
})();

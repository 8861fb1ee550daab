// rcim-jshost prelude: evaluated in every fresh Hermes runtime before the bundle.
//
// Native helpers installed by rust/jshost/cpp/jshost.cpp before this runs:
//   __rcimHostWrite(fd, text)   write text to stdout (1) or stderr (2)
//   __rcimHostNow()             milliseconds on a monotonic clock (performance.now)
//   __rcimHostExit(code)        end the event loop after the current task with this exit code
//   queueMicrotask(fn), __rcimHostEnv, __rcimBridge, __rcimHostFs (stat/readFile/sha256)
// This file defines console, timers, performance, and the hooks the C++ loop calls:
//   __rcimTimerTick(now)    run one due immediate/timer: -2 ran one, -1 none left, else next deadline
//   __rcimStart()           run `__rcimMain.default()` (if any); its settlement ends the loop
//   __rcimFlushRejections() report rejections still unhandled when the loop ends
(function (g) {
  'use strict';
  var write = g.__rcimHostWrite;
  var now = g.__rcimHostNow;
  var hostExit = g.__rcimHostExit;

  g.global = g;
  if (typeof g.__DEV__ === 'undefined') g.__DEV__ = true;
  g.performance = { now: now };

  // ---- console ---------------------------------------------------------------------------------
  function inspect(v, depth, seen) {
    switch (typeof v) {
      case 'string':
        return depth > 0 ? JSON.stringify(v) : v;
      case 'bigint':
        return String(v) + 'n';
      case 'symbol':
        return v.toString();
      case 'function':
        return '[Function: ' + (v.name || 'anonymous') + ']';
      case 'object':
        break;
      default:
        return String(v);
    }
    if (v === null) return 'null';
    if (v instanceof Error) return v.stack ? String(v.stack) : v.name + ': ' + v.message;
    if (seen.indexOf(v) >= 0) return '[Circular]';
    if (depth > 3) return Array.isArray(v) ? '[Array]' : '[Object]';
    if (v instanceof Date) return isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
    seen.push(v);
    var parts = [];
    var open = '{';
    var close = '}';
    try {
      if (Array.isArray(v)) {
        open = '[';
        close = ']';
        for (var i = 0; i < v.length && i < 100; i++) parts.push(inspect(v[i], depth + 1, seen));
        if (v.length > 100) parts.push('... ' + (v.length - 100) + ' more items');
      } else if (v instanceof Map) {
        open = 'Map(' + v.size + ') {';
        v.forEach(function (val, key) {
          parts.push(inspect(key, depth + 1, seen) + ' => ' + inspect(val, depth + 1, seen));
        });
      } else if (v instanceof Set) {
        open = 'Set(' + v.size + ') {';
        v.forEach(function (val) {
          parts.push(inspect(val, depth + 1, seen));
        });
      } else {
        Object.keys(v).forEach(function (key) {
          var name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
          parts.push(name + ': ' + inspect(v[key], depth + 1, seen));
        });
      }
    } finally {
      seen.pop();
    }
    return parts.length ? open + ' ' + parts.join(', ') + ' ' + close : open + close;
  }

  function format(args) {
    var out = [];
    var i = 0;
    if (typeof args[0] === 'string' && args[0].indexOf('%') >= 0) {
      i = 1;
      out.push(
        args[0].replace(/%([sdifjoO%])/g, function (m, c) {
          if (c === '%') return '%';
          if (i >= args.length) return m;
          var a = args[i++];
          if (c === 's') return typeof a === 'string' ? a : inspect(a, 1, []);
          if (c === 'd' || c === 'i') return String(c === 'i' ? parseInt(a, 10) : Number(a));
          if (c === 'f') return String(parseFloat(a));
          if (c === 'j') return JSON.stringify(a);
          return inspect(a, 1, []);
        }),
      );
    }
    for (; i < args.length; i++) out.push(inspect(args[i], 0, []));
    return out.join(' ') + '\n';
  }

  function printer(fd) {
    return function () {
      write(fd, format(Array.prototype.slice.call(arguments)));
    };
  }
  g.console = {
    log: printer(1),
    info: printer(1),
    debug: printer(1),
    trace: printer(2),
    warn: printer(2),
    error: printer(2),
    assert: function (cond) {
      if (!cond) write(2, 'Assertion failed: ' + format(Array.prototype.slice.call(arguments, 1)));
    },
  };

  // ---- timers ----------------------------------------------------------------------------------
  // Timers live in a binary heap ordered by (deadline, seq); cleared timers stay in the heap and are
  // skipped when they surface. Immediates run before timers, in insertion order.
  var timers = new Map(); // id -> timer
  var heap = [];
  var immediates = new Map(); // id -> {fn, args}
  var nextId = 1;
  var nextSeq = 1;

  function less(a, b) {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
  function heapPush(t) {
    heap.push(t);
    var i = heap.length - 1;
    while (i > 0) {
      var p = (i - 1) >> 1;
      if (!less(heap[i], heap[p])) break;
      var tmp = heap[i];
      heap[i] = heap[p];
      heap[p] = tmp;
      i = p;
    }
  }
  function heapPop() {
    var top = heap[0];
    var last = heap.pop();
    if (heap.length > 0) {
      heap[0] = last;
      var i = 0;
      for (;;) {
        var l = 2 * i + 1;
        var r = l + 1;
        var m = i;
        if (l < heap.length && less(heap[l], heap[m])) m = l;
        if (r < heap.length && less(heap[r], heap[m])) m = r;
        if (m === i) break;
        var tmp = heap[i];
        heap[i] = heap[m];
        heap[m] = tmp;
        i = m;
      }
    }
    return top;
  }
  function live(t) {
    return timers.get(t.id) === t && t.seq === t.liveSeq;
  }

  function schedule(fn, ms, args, repeat) {
    if (typeof fn !== 'function') throw new TypeError('callback must be a function');
    var delay = Number(ms);
    if (!(delay > 0)) delay = 0;
    var rejectionCheck = false;
    // Hermes' promise rejection tracker (lib/InternalJavaScript/01-Promise.js) waits 100 ms or
    // 2 s before reporting; we report like Node: after the current task's microtasks.
    if (fn.name === 'bound onUnhandled') {
      delay = 0;
      rejectionCheck = true;
    }
    var id = nextId++;
    var t = {
      id: id,
      fn: fn,
      args: args,
      at: now() + delay,
      every: repeat ? Math.max(delay, 1) : -1,
      seq: 0,
      liveSeq: 0,
      rejectionCheck: rejectionCheck,
    };
    t.seq = t.liveSeq = nextSeq++;
    timers.set(id, t);
    heapPush(t);
    return id;
  }
  g.setTimeout = function (fn, ms) {
    return schedule(fn, ms, Array.prototype.slice.call(arguments, 2), false);
  };
  g.setInterval = function (fn, ms) {
    return schedule(fn, ms, Array.prototype.slice.call(arguments, 2), true);
  };
  g.clearTimeout = g.clearInterval = function (id) {
    timers.delete(id);
  };
  g.setImmediate = function (fn) {
    if (typeof fn !== 'function') throw new TypeError('callback must be a function');
    var id = nextId++;
    immediates.set(id, { fn: fn, args: Array.prototype.slice.call(arguments, 1) });
    return id;
  };
  g.clearImmediate = function (id) {
    immediates.delete(id);
  };

  g.__rcimTimerTick = function (t) {
    if (immediates.size > 0) {
      var first = immediates.entries().next().value;
      immediates.delete(first[0]);
      first[1].fn.apply(undefined, first[1].args);
      return -2;
    }
    while (heap.length > 0 && !live(heap[0])) heapPop();
    if (heap.length === 0) return -1;
    var timer = heap[0];
    if (timer.at > t) return timer.at;
    heapPop();
    if (timer.every >= 0) {
      timer.at = t + timer.every;
      timer.seq = timer.liveSeq = nextSeq++;
      heapPush(timer);
    } else {
      timers.delete(timer.id);
    }
    timer.fn.apply(undefined, timer.args);
    return -2;
  };

  // ---- unhandled rejections --------------------------------------------------------------------
  var HI = g.HermesInternal;
  if (HI && typeof HI.enablePromiseRejectionTracker === 'function') {
    HI.enablePromiseRejectionTracker({
      allRejections: true,
      onUnhandled: function (id, error) {
        write(2, 'Uncaught (in promise) ' + inspect(error, 0, []) + '\n');
        hostExit(1);
      },
      onHandled: function () {},
    });
  }
  g.__rcimFlushRejections = function () {
    timers.forEach(function (t) {
      if (t.rejectionCheck) {
        timers.delete(t.id);
        t.fn.apply(undefined, t.args);
      }
    });
  };

  // ---- main ------------------------------------------------------------------------------------
  // Returns true when the bundle exported a default function (the loop then runs until it
  // settles); false when there is none (the loop runs until no work is left).
  g.__rcimStart = function () {
    var m = g.__rcimMain;
    var main = m && typeof m.default === 'function' ? m.default : null;
    if (!main) return false;
    Promise.resolve()
      .then(function () {
        return main();
      })
      .then(
        function () {
          hostExit(0);
        },
        function (e) {
          write(2, 'rcim-jshost: main failed: ' + inspect(e, 0, []) + '\n');
          hostExit(1);
        },
      );
    return true;
  };
})(globalThis);

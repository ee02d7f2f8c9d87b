// Step-throughs of recorded event-loop runs (book.toml `additional-js`). Tested in a real
// browser by scripts/browser-tests/.
//
// A page asks for one with a placeholder whose text is what a reader without JavaScript sees:
//
//     <div class="stepper" data-trace="ch02-generators-to-coroutines/traces/06-event-loop-demo.json">
//     <p>The step-through needs JavaScript; the listing's output above tells the same run.</p>
//     </div>
//
// `data-trace` is relative to the book's root (so the page and print.html find the same file).
// The trace is what the chapter's event loop recorded on a real run (one object per event:
// `t_us`, `event`, `task`, and `site` or `by`). The widget shows the state after the first k
// events, rebuilt from the start at every step, so stepping back and forth always lands on the
// same state. It shows only what the trace holds: a timer's deadline is the time the trace
// says that timer woke its task.
'use strict';

(function stepper() {
    const PLAY_INTERVAL_MS = 900;

    function ms(us) {
        const value = us / 1000;
        return `${Number.isInteger(value) ? value : value.toFixed(3)} ms`;
    }

    function fileName(site) {
        return site && site.file ? site.file.split('/').pop() : null;
    }

    function waker(by) {
        if (by === 'timer') return 'its timer';
        if (by === 'socket') return 'its socket, now ready,';
        if (by === 'outside') return 'a wake from outside the loop';
        if (by && typeof by === 'object' && 'task' in by) return `task ${by.task}`;
        return 'something';
    }

    /** For each `pending` event, the time of the timer that next wakes that task, if any. */
    function timerDeadlines(events) {
        const deadlines = new Map();
        events.forEach((event, i) => {
            if (event.event !== 'pending') return;
            for (const later of events.slice(i + 1)) {
                if (later.task !== event.task || later.event !== 'woken') continue;
                if (later.by === 'timer') deadlines.set(i, later.t_us);
                break;
            }
        });
        return deadlines;
    }

    /** The loop's state after the first `k` events, replayed from nothing. */
    function replay(events, deadlines, k) {
        const tasks = new Map();
        const ready = [];
        let clock = 0;
        let sentence = 'Nothing has happened yet. Step forward to start the run.';
        for (let i = 0; i < k; i++) {
            const e = events[i];
            const before = clock;
            clock = e.t_us;
            const at = `At ${ms(clock)}`;
            const task = tasks.get(e.task) ?? { id: e.task };
            tasks.set(e.task, task);
            const unqueue = () => {
                const index = ready.indexOf(e.task);
                if (index >= 0) ready.splice(index, 1);
            };
            switch (e.event) {
                case 'spawned':
                    task.state = 'ready';
                    ready.push(e.task);
                    sentence = `${at} spawn creates task ${e.task}; it goes on the ready queue.`;
                    break;
                case 'polled':
                    unqueue();
                    task.state = 'running';
                    task.until = null;
                    sentence = `${at} the loop takes task ${e.task} off the ready queue and polls it.`;
                    break;
                case 'pending': {
                    task.state = 'waiting';
                    task.until = deadlines.get(i) ?? null;
                    const where = e.site ? ` at the sleep on line ${e.site.line} of ${fileName(e.site)}` : '';
                    task.where = e.site ? `line ${e.site.line}` : null;
                    sentence = `${at} task ${e.task} returns Pending${where}`
                        + (task.until !== null ? `; its timer is set for ${ms(task.until)}.` : '; it waits to be woken.');
                    break;
                }
                case 'woken': {
                    const jumped = clock > before && ready.length === 0
                        ? `The ready queue is empty, so the clock moves on to ${ms(clock)}, and `
                        : `${at} `;
                    task.state = 'ready';
                    task.until = null;
                    ready.push(e.task);
                    sentence = `${jumped}${waker(e.by)} wakes task ${e.task}; it goes on the ready queue.`;
                    break;
                }
                case 'ready':
                    task.state = 'done';
                    sentence = `${at} task ${e.task}'s future returns Ready: the task is done.`;
                    break;
                case 'panicked':
                    task.state = 'panicked';
                    sentence = `${at} task ${e.task} panics while polled; the loop catches the panic and goes on.`;
                    break;
                case 'dropped':
                    task.dropped = true;
                    sentence = `${at} the loop drops task ${e.task}: it will never be polled again.`;
                    break;
                default:
                    sentence = `${at} task ${e.task}: ${e.event}.`;
            }
        }
        if (k === events.length && k > 0) sentence += ' That is the end of the run.';
        return { tasks, ready, clock, sentence };
    }

    function describe(task) {
        switch (task.state) {
            case 'ready': return 'ready';
            case 'running': return 'running (being polled)';
            case 'waiting': {
                const where = task.where ? ` in sleep (${task.where})` : '';
                return task.until !== null ? `waiting${where}, timer at ${ms(task.until)}` : `waiting${where}`;
            }
            case 'done': return task.dropped ? 'done (dropped)' : 'done';
            case 'panicked': return task.dropped ? 'panicked (dropped)' : 'panicked';
            default: return task.state ?? 'not spawned yet';
        }
    }

    function element(tag, props = {}, children = []) {
        const node = document.createElement(tag);
        Object.assign(node, props);
        for (const child of children) node.append(child);
        return node;
    }

    function build(root, events) {
        const deadlines = timerDeadlines(events);
        const taskIds = [...new Set(events.map(e => e.task))].sort((a, b) => a - b);
        let step = 0;
        let timer = null;

        const button = (label, title) => element('button', { type: 'button', textContent: label, title });
        const back = button('◀ Back', 'Step back (←)');
        const forward = button('Forward ▶', 'Step forward (→)');
        const play = button('Play', 'Play or pause (space)');
        const reset = button('Reset', 'Back to the start (Home)');
        const position = element('span', { className: 'stepper-position' });
        const clock = element('p', { className: 'stepper-clock' });
        const rows = new Map(taskIds.map(id => [id, element('td')]));
        const table = element('table', { className: 'stepper-tasks' }, [
            element('thead', {}, [element('tr', {}, [
                element('th', { scope: 'col', textContent: 'Task' }),
                element('th', { scope: 'col', textContent: 'State' }),
            ])]),
            element('tbody', {}, taskIds.map(id => element('tr', {}, [
                element('th', { scope: 'row', textContent: `task ${id}` }), rows.get(id),
            ]))),
        ]);
        const queue = element('p', { className: 'stepper-queue' });
        const timers = element('p', { className: 'stepper-timers' });
        const said = element('p', { className: 'stepper-said' });
        said.setAttribute('aria-live', 'polite');
        const state = element('div', { className: 'stepper-state' }, [clock, table, queue, timers]);

        root.replaceChildren(
            element('div', { className: 'stepper-controls' }, [back, forward, play, reset, position]),
            said,
            state,
        );
        root.tabIndex = 0;
        root.setAttribute('role', 'group');
        root.setAttribute('aria-label', 'Step through the recorded run: arrow keys step, space plays or pauses, Home resets');
        root.classList.add('stepper-ready');

        function render() {
            const now = replay(events, deadlines, step);
            position.textContent = `Step ${step} of ${events.length}`;
            clock.textContent = `Clock: ${ms(now.clock)}`;
            for (const id of taskIds) {
                const task = now.tasks.get(id);
                const cell = rows.get(id);
                cell.textContent = task ? describe(task) : 'not spawned yet';
                cell.dataset.state = task?.state ?? 'none';
            }
            queue.textContent = `Ready queue: ${now.ready.length ? now.ready.map(id => `task ${id}`).join(', ') : 'empty'}`;
            const waiting = [...now.tasks.values()].filter(t => t.state === 'waiting' && t.until !== null)
                .sort((a, b) => a.until - b.until || a.id - b.id);
            timers.textContent = `Timers set: ${waiting.length ? waiting.map(t => `task ${t.id} at ${ms(t.until)}`).join(', ') : 'none'}`;
            // While playing, the sentences come faster than a screen reader speaks them:
            // announce only the steps taken by hand.
            said.setAttribute('aria-live', timer ? 'off' : 'polite');
            said.textContent = now.sentence;
            for (const [button, off] of [[back, step === 0], [forward, step === events.length]]) {
                // A disabled button loses focus to the page, where the arrows turn the
                // page: keep the focus in the widget.
                if (off && document.activeElement === button) root.focus();
                button.disabled = off;
            }
            play.textContent = timer ? 'Pause' : 'Play';
            play.setAttribute('aria-pressed', String(Boolean(timer)));
        }

        function go(to) {
            step = Math.max(0, Math.min(events.length, to));
            if (step === events.length) stop();
            render();
        }
        function stop() {
            if (timer) clearInterval(timer);
            timer = null;
        }
        function toggle() {
            if (timer) {
                stop();
            } else {
                if (step === events.length) step = 0;
                timer = setInterval(() => go(step + 1), PLAY_INTERVAL_MS);
            }
            render();
        }

        back.addEventListener('click', () => { stop(); go(step - 1); });
        forward.addEventListener('click', () => { stop(); go(step + 1); });
        play.addEventListener('click', toggle);
        reset.addEventListener('click', () => { stop(); go(0); });
        root.addEventListener('keydown', event => {
            if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
            // Space on a focused button presses that button, as usual.
            if (event.key === ' ' && event.target !== root) return;
            const action = {
                ArrowLeft: () => { stop(); go(step - 1); },
                ArrowRight: () => { stop(); go(step + 1); },
                ' ': toggle,
                Home: () => { stop(); go(0); },
                End: () => { stop(); go(events.length); },
            }[event.key];
            if (!action) return;
            // Keep the keys from mdBook (the arrows turn the page) and from a focused button
            // (space would press it as well).
            event.preventDefault();
            event.stopPropagation();
            action();
        });
        render();
    }

    async function load(root) {
        const toRoot = typeof path_to_root === 'string' ? path_to_root : '';
        const url = new URL(toRoot + root.dataset.trace, location.href);
        try {
            const response = await fetch(url);
            if (!response.ok) throw new Error(`HTTP ${response.status}`);
            const events = await response.json();
            if (!Array.isArray(events) || events.length === 0) throw new Error('no events');
            build(root, events);
        } catch (error) {
            // The placeholder's own text stays: it says where the same run is told.
            root.dataset.failed = String(error.message ?? error);
        }
    }

    document.querySelectorAll('.stepper[data-trace]').forEach(load);
})();

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
// The trace is what Chapter 2's event loop recorded on a real run (one object per event:
// `t_us`, `event`, `task`, and `site`, `by`, `deadline_us` or `text`). The widget shows the
// state after the first k events, rebuilt from the start at every step, so stepping back and
// forth always lands on the same state. It shows only what the trace holds.
//
// The scheduler game uses the same placeholder with a game's JSON instead: a list of variants
// of one program, each with every schedule the loop was run under (`picks`, `output`, `stuck`,
// `events`; see the chapter crate's `game.rs`). The run stops at each `chose` event and asks
// the reader which ready task goes next; the answer selects the schedule that made that
// choice. Nothing is computed here that the loop did not record.
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

    /** The loop's state after the first `k` events, replayed from nothing. */
    function replay(events, k) {
        const tasks = new Map();
        const ready = [];
        const timers = [];
        const output = [];
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
            // The clock moved during a poll: the task kept the thread all that time.
            const held = () => task.state === 'running' && clock > before
                ? `The poll kept the thread from ${ms(before)} to ${ms(clock)}: no other task could run. `
                : '';
            switch (e.event) {
                case 'spawned':
                    task.state = 'ready';
                    ready.push(e.task);
                    sentence = `${at} spawn creates task ${e.task}; it goes on the ready queue.`;
                    break;
                case 'polled':
                    unqueue();
                    task.state = 'running';
                    sentence = `${at} the loop takes task ${e.task} off the ready queue and polls it.`;
                    break;
                case 'timer_set': {
                    const line = e.site ? `line ${e.site.line}` : null;
                    timers.push({ task: e.task, deadline: e.deadline_us, line });
                    const where = line ? ` (the sleep on ${line} of ${fileName(e.site)})` : '';
                    sentence = `${at} task ${e.task}${where} sets a timer for ${ms(e.deadline_us)}.`;
                    break;
                }
                case 'chose': {
                    // The others keep their order; the chosen task goes first.
                    const i = ready.indexOf(e.task);
                    if (i > 0) ready.unshift(...ready.splice(i, 1));
                    const options = e.options.map(id => `task ${id}`).join(' and ');
                    sentence = `${at} ${options} are ready, and you chose task ${e.task}: the loop polls it next.`;
                    break;
                }
                case 'said':
                    sentence = `${held()}${at} task ${e.task} prints “${e.text}”.`;
                    output.push(e.text);
                    break;
                case 'pending': {
                    task.state = 'waiting';
                    task.where = e.site ? `line ${e.site.line}` : null;
                    const where = e.site ? ` at the sleep on line ${e.site.line} of ${fileName(e.site)}` : '';
                    sentence = `${held()}${at} task ${e.task} returns Pending${where}; it waits to be woken.`;
                    break;
                }
                case 'woken': {
                    const jumped = clock > before && ready.length === 0
                        ? `The ready queue is empty, so the clock moves on to ${ms(clock)}, and `
                        : `${at} `;
                    let who = waker(e.by);
                    if (e.by === 'timer') {
                        const due = timers.filter(t => t.task === e.task && t.deadline <= clock);
                        for (const t of due) timers.splice(timers.indexOf(t), 1);
                        const first = Math.min(...due.map(t => t.deadline));
                        if (due.length && first < clock) who = `its timer, due at ${ms(first)}, ${ms(clock - first)} late,`;
                    }
                    if (task.state === 'done' || task.state === 'panicked') {
                        sentence = `${jumped}${who} wakes task ${e.task}, which has already ended: the loop finds nothing to poll.`;
                        break;
                    }
                    task.state = 'ready';
                    ready.push(e.task);
                    sentence = `${jumped}${who} wakes task ${e.task}; it goes on the ready queue.`;
                    break;
                }
                case 'ready':
                    task.state = 'done';
                    sentence = `${held()}${at} task ${e.task}'s future returns Ready: the task is done.`;
                    break;
                case 'panicked':
                    task.state = 'panicked';
                    sentence = `${held()}${at} task ${e.task} panics while polled; the loop catches the panic and goes on.`;
                    break;
                case 'dropped':
                    task.dropped = true;
                    sentence = task.state === 'waiting'
                        ? `${at} nothing is ready and no timer is left, so the loop ends. It drops task ${e.task}, still waiting: nothing will ever wake it.`
                        : `${at} the loop drops task ${e.task}: it will never be polled again.`;
                    break;
                default:
                    sentence = `${at} task ${e.task}: ${e.event}.`;
            }
        }
        if (k === events.length && k > 0) sentence += ' That is the end of the run.';
        const site = k > 0 ? events[k - 1].site ?? null : null;
        return { tasks, ready, timers, output, clock, sentence, site };
    }

    function describe(task) {
        switch (task.state) {
            case 'ready': return 'ready';
            case 'running': return 'running (being polled)';
            case 'waiting': return task.where ? `waiting in sleep (${task.where})` : 'waiting';
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

    /**
     * Marks, in the nearest listing above `root`, the line of source a step came from (the
     * trace gives each site's trimmed `code`). Returns a function that moves the mark to a
     * site, or removes it when given none or when no shown line matches.
     */
    function lineMarker(root) {
        const mark = element('div', { className: 'stepper-line' });
        mark.setAttribute('aria-hidden', 'true');
        const blocks = [...document.querySelectorAll('pre > code')]
            .filter(code => !root.contains(code)
                && (code.compareDocumentPosition(root) & Node.DOCUMENT_POSITION_FOLLOWING))
            .reverse();
        /** The Range of the shown line whose trimmed text is `text`, in `code`, if any. */
        function findLine(code, text) {
            const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
            let line = [];
            const lines = [line];
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const parts = node.data.split('\n');
                parts.forEach((part, i) => {
                    if (i > 0) lines.push(line = []);
                    line.push({ node, start: node.data.length - parts.slice(i).join('\n').length, part });
                });
            }
            for (const pieces of lines) {
                const whole = pieces.map(p => p.part).join('');
                const hidden = pieces.some(p => p.node.parentElement.closest('.boring'));
                if (whole.trim() !== text || hidden) continue;
                const first = pieces[0];
                const last = pieces[pieces.length - 1];
                const range = document.createRange();
                range.setStart(first.node, first.start);
                range.setEnd(last.node, last.start + last.part.length);
                return range;
            }
            return null;
        }
        return site => {
            mark.remove();
            if (!site || !site.code) return;
            for (const code of blocks) {
                const range = findLine(code, site.code);
                if (!range) continue;
                const pre = code.parentElement;
                const line = range.getBoundingClientRect();
                const box = pre.getBoundingClientRect();
                mark.style.top = `${line.top - box.top + pre.scrollTop}px`;
                mark.style.height = `${line.height}px`;
                mark.dataset.code = site.code;
                pre.append(mark);
                return;
            }
        };
    }

    /** How many `chose` events come before position `k`. */
    function choicesBefore(events, k) {
        return events.slice(0, k).filter(e => e.event === 'chose').length;
    }

    /**
     * Builds the widget. `game`, for the scheduler game, holds every schedule of each
     * variant of the program (`[{ variant, schedules: [{ picks, output, stuck, events }] }]`):
     * the reader's choices pick the schedule whose events are shown.
     */
    function build(root, firstEvents, game = null) {
        let events = firstEvents;
        let variant = 0;
        let picks = [];
        const everyRun = game ? game.flatMap(v => v.schedules.map(s => s.events)) : [events];
        const taskIds = [...new Set(everyRun.flat().map(e => e.task))].sort((a, b) => a - b);
        let step = 0;
        let timer = null;
        const schedules = () => game[variant].schedules;
        /** The first schedule that makes the reader's choices so far. */
        function follow() {
            const found = schedules().find(s => picks.every((id, i) => s.picks[i] === id));
            events = found.events;
            return found;
        }
        /** Where the run waits for the reader: the first decision not yet made. */
        function limit() {
            if (!game) return events.length;
            const at = events.findIndex((e, i) => e.event === 'chose' && choicesBefore(events, i) === picks.length);
            return at < 0 ? events.length : at;
        }

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
        const printed = element('pre', { className: 'stepper-output' });
        const hasOutput = everyRun.flat().some(e => e.event === 'said');
        const choices = element('div', { className: 'stepper-choices' });
        const outcome = element('p', { className: 'stepper-outcome' });
        const variants = game && game.length > 1
            ? game.map((v, i) => {
                const b = button(`Program ${v.variant}`, `Run the program ${v.variant}`);
                b.addEventListener('click', () => { stop(); variant = i; picks = []; follow(); go(0); });
                return b;
            })
            : [];
        const said = element('p', { className: 'stepper-said' });
        said.setAttribute('aria-live', 'polite');
        const state = element('div', { className: 'stepper-state' },
            hasOutput
                ? [clock, table, queue, timers, element('p', { textContent: 'Printed so far:' }), printed]
                : [clock, table, queue, timers]);

        // The placeholder's words stay next to the widget, for print (stepper.css).
        root.after(element('div', { className: 'stepper-print' }, [...root.childNodes]));
        root.replaceChildren(
            ...(variants.length ? [element('div', { className: 'stepper-controls stepper-variants' }, variants)] : []),
            element('div', { className: 'stepper-controls' }, [back, forward, play, reset, position]),
            said,
            ...(game ? [choices, outcome] : []),
            state,
        );
        root.tabIndex = 0;
        root.setAttribute('role', 'group');
        root.setAttribute('aria-label', game
            ? 'You are the scheduler: arrow keys step, space plays or pauses, Home resets; when tasks are ready, press a task\'s number or its button to poll it next'
            : 'Step through the recorded run: arrow keys step, space plays or pauses, Home resets');
        root.classList.add('stepper-ready');

        const markLine = lineMarker(root);
        if (game) follow();

        function render() {
            const now = replay(events, step);
            if (game) renderGame(now);
            // In the game the run's length depends on choices still to come.
            position.textContent = limit() < events.length ? `Step ${step}` : `Step ${step} of ${events.length}`;
            clock.textContent = `Clock: ${ms(now.clock)}`;
            for (const id of taskIds) {
                const task = now.tasks.get(id);
                const cell = rows.get(id);
                cell.textContent = task ? describe(task) : 'not spawned yet';
                cell.dataset.state = task?.state ?? 'none';
            }
            queue.textContent = `Ready queue: ${now.ready.length ? now.ready.map(id => `task ${id}`).join(', ') : 'empty'}`;
            const set = [...now.timers].sort((a, b) => a.deadline - b.deadline || a.task - b.task);
            timers.textContent = `Timers set: ${set.length ? set.map(t => {
                const ended = ['done', 'panicked'].includes(now.tasks.get(t.task)?.state);
                const notes = [t.line, ended ? 'its task has ended' : null].filter(Boolean);
                return `task ${t.task} at ${ms(t.deadline)}${notes.length ? ` (${notes.join(', ')})` : ''}`;
            }).join('; ') : 'none'}`;
            printed.textContent = now.output.length ? now.output.join('\n') : '(nothing printed yet)';
            // While playing, the sentences come faster than a screen reader speaks them:
            // announce only the steps taken by hand.
            said.setAttribute('aria-live', timer ? 'off' : 'polite');
            said.textContent = now.sentence;
            markLine(now.site);
            for (const [button, off] of [[back, step === 0], [forward, step === limit()]]) {
                // A disabled button loses focus to the page, where the arrows turn the
                // page: keep the focus in the widget.
                if (off && document.activeElement === button) root.focus();
                button.disabled = off;
            }
            play.textContent = timer ? 'Pause' : 'Play';
            play.setAttribute('aria-pressed', String(Boolean(timer)));
        }

        /** The choice buttons at a decision, and the outcome at the end of a run. */
        function renderGame(now) {
            const waiting = step === limit() && step < events.length;
            const options = waiting ? events[step].options : [];
            const hadFocus = choices.contains(document.activeElement);
            choices.replaceChildren(...(waiting ? [
                element('span', { textContent: 'Your turn: which ready task does the loop poll next? ' }),
                ...options.map(id => {
                    const b = button(`Poll task ${id}`, `Poll task ${id} next (${id})`);
                    b.addEventListener('click', () => choose(id));
                    return b;
                }),
            ] : []));
            if (hadFocus && !waiting) root.focus();
            if (waiting) now.sentence += ` Now ${options.map(id => `task ${id}`).join(' and ')} are ready: you choose which one the loop polls next.`;
            variants.forEach((b, i) => b.setAttribute('aria-pressed', String(i === variant)));
            if (step < events.length) {
                outcome.textContent = '';
                return;
            }
            const run = follow();
            const same = schedules().filter(s => JSON.stringify([s.output, s.stuck]) === JSON.stringify([run.output, run.stuck]));
            const stuck = run.stuck.length ? ` ${run.stuck.map(id => `Task ${id}`).join(', ')} never finished: nothing was left to wake it.` : '';
            outcome.textContent = `Outcome: ${run.output.length ? run.output.map(l => `“${l}”`).join(', ') : 'nothing printed'}.${stuck}`
                + ` ${same.length} of the ${schedules().length} schedules ${same.length === 1 ? 'leads' : 'lead'} here.`;
        }

        /** The reader chose task `id` at the current decision. */
        function choose(id) {
            if (!game || step !== limit() || step >= events.length || !events[step].options.includes(id)) return;
            picks.push(id);
            follow();
            go(step + 1);
        }

        function go(to) {
            step = Math.max(0, Math.min(limit(), to));
            if (game && picks.length > choicesBefore(events, step)) {
                // Stepped back over a decision: it is undone.
                picks = picks.slice(0, choicesBefore(events, step));
                follow();
            }
            if (step === limit()) stop();
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
                if (step === events.length) go(0);
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
            }[event.key] ?? (/^[0-9]$/.test(event.key) && game ? () => { stop(); choose(Number(event.key)); } : null);
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
            const data = await response.json();
            if (!Array.isArray(data) || data.length === 0) throw new Error('no events');
            // A game is a list of variants, each with its schedules; a trace is a list of events.
            const game = data[0].schedules ? data : null;
            build(root, game ? game[0].schedules[0].events : data, game);
        } catch (error) {
            // The placeholder's own text stays: it says where the same run is told.
            root.dataset.failed = String(error.message ?? error);
        }
    }

    document.querySelectorAll('.stepper[data-trace]').forEach(load);
})();

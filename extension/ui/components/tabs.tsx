// An accessible tab list (WAI-ARIA tabs pattern): arrow keys move between tabs, Enter/click selects.
import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

export interface TabDef {
  readonly id: string;
  readonly label: string;
}

export function Tabs(props: {
  readonly tabs: readonly TabDef[];
  readonly selected: string;
  readonly onSelect: (id: string) => void;
  readonly label: string;
  readonly children: ComponentChildren;
}) {
  const list = useRef<HTMLDivElement>(null);
  const onKey = (e: KeyboardEvent) => {
    const idx = props.tabs.findIndex((t) => t.id === props.selected);
    let next = idx;
    if (e.key === 'ArrowRight') next = (idx + 1) % props.tabs.length;
    else if (e.key === 'ArrowLeft') next = (idx - 1 + props.tabs.length) % props.tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = props.tabs.length - 1;
    else return;
    e.preventDefault();
    const tab = props.tabs[next];
    if (!tab) return;
    props.onSelect(tab.id);
    queueMicrotask(() => list.current?.querySelector<HTMLButtonElement>(`#tab-${tab.id}`)?.focus());
  };
  return (
    <div>
      <div class="kk-tabs" role="tablist" aria-label={props.label} ref={list} onKeyDown={onKey}>
        {props.tabs.map((tab) => (
          <button
            key={tab.id}
            id={`tab-${tab.id}`}
            role="tab"
            type="button"
            aria-selected={tab.id === props.selected}
            aria-controls={`paneel-${tab.id}`}
            tabIndex={tab.id === props.selected ? 0 : -1}
            onClick={() => props.onSelect(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`paneel-${props.selected}`} aria-labelledby={`tab-${props.selected}`} tabIndex={0}>
        {props.children}
      </div>
    </div>
  );
}

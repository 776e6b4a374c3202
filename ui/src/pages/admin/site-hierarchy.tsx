import { createMemo, createResource, createSignal, For, Show } from 'solid-js';
import { unwrap } from '../../api/http';
import { useCloud } from '../../app/app-context';
import { createActionStatus, StatusMessage, type ActionStatus } from '../../components/admin/action-status';
import type { Confirm } from '../../components/admin/confirm-dialog';
import { InlineRename } from '../../components/admin/inline-rename';
import { EmptyState, ResourceView } from '../../components/admin/resource-view';
import type { Site } from '../../components/admin/site-choice';
import { buildTree, kindLabel, mayNest, nodeKinds, optionLabel, parentOptions, type SiteNode, type SiteNodeKind, type TreeNode } from '../../components/admin/site-tree';

/** The state the tree rows share: the node list, the section's status, the confirmation and a reload. */
interface TreeContext {
  nodes: () => SiteNode[];
  status: ActionStatus;
  confirm: Confirm;
  canManage: boolean;
  reload: () => void;
  /** Puts a node into the add form as the parent of the next node. */
  addUnder: (node: SiteNode) => void;
}

/** Renders the buildings, areas and systems of one site as a tree, with add, rename, move and delete. */
export function SiteHierarchyEditor(props: { site: Site; canManage: boolean; confirm: Confirm }) {
  const cloud = useCloud();
  const status = createActionStatus();
  const [nodes, { refetch }] = createResource(async () => (await unwrap(cloud.GET('/api/sites/{siteId}/nodes', { params: { path: { siteId: props.site.id } } }))).nodes);
  const list = () => (nodes.state === 'ready' || nodes.state === 'refreshing' ? (nodes() ?? []) : []);
  const [kind, setKind] = createSignal<SiteNodeKind>('building');
  const [name, setName] = createSignal('');
  const [parentId, setParentId] = createSignal('');
  let nameInput: HTMLInputElement | undefined;

  const parents = createMemo(() => parentOptions(list(), kind()));
  const chosenParent = () => (parents().some((entry) => entry.node.id === parentId()) ? parentId() : '');

  const add = async (event: SubmitEvent) => {
    event.preventDefault();
    const created = await status.run(
      () =>
        unwrap(
          cloud.POST('/api/sites/{siteId}/nodes', {
            params: { path: { siteId: props.site.id } },
            body: { kind: kind(), name: name().trim(), parentId: chosenParent() || null },
          }),
        ),
      (node) => `${kindLabel(node.kind)} ${node.name} added.`,
    );
    if (created) {
      setName('');
      void refetch();
    }
  };

  const context: TreeContext = {
    nodes: list,
    status,
    confirm: props.confirm,
    canManage: props.canManage,
    reload: () => void refetch(),
    addUnder: (node) => {
      setKind(node.kind === 'building' ? 'area' : node.kind);
      setParentId(node.id);
      nameInput?.focus();
    },
  };

  return (
    <section class="card" aria-labelledby="hierarchy-heading" data-testid="site-hierarchy">
      <div class="card-header">
        <h2 id="hierarchy-heading">Hierarchy of {props.site.name}</h2>
      </div>
      <StatusMessage status={status} testId="hierarchy-status" />
      <Show when={props.canManage}>
        <form class="inline-fields" onSubmit={(event) => void add(event)} data-testid="add-node-form">
          <div class="field">
            <label for="node-kind">Kind</label>
            <select id="node-kind" onChange={(event) => setKind(event.currentTarget.value as SiteNodeKind)}>
              <For each={nodeKinds}>
                {(option) => (
                  <option value={option} selected={option === kind()}>
                    {kindLabel(option)}
                  </option>
                )}
              </For>
            </select>
          </div>
          <div class="field">
            <label for="node-name">Name</label>
            <input id="node-name" ref={nameInput} required maxLength={200} value={name()} onInput={(event) => setName(event.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="node-parent">Inside</label>
            <select id="node-parent" onChange={(event) => setParentId(event.currentTarget.value)}>
              <option value="" selected={chosenParent() === ''}>
                Top level of the site
              </option>
              <For each={parents()}>
                {(entry) => (
                  <option value={entry.node.id} selected={entry.node.id === chosenParent()}>
                    {optionLabel(entry)}
                  </option>
                )}
              </For>
            </select>
          </div>
          <button type="submit" class="btn-primary" disabled={status.pending()}>
            Add
          </button>
        </form>
        <p class="field-hint">A building sits at the top level; an area at the top level or in a building or area; a system anywhere.</p>
      </Show>
      <ResourceView resource={nodes} what="the hierarchy">
        {() => (
          <Show when={list().length > 0} fallback={<EmptyState>No buildings, areas or systems yet. Devices can still belong to the site directly.</EmptyState>}>
            <ul class="admin-tree" data-testid="node-tree">
              <For each={buildTree(list())}>{(entry) => <TreeBranch entry={entry} context={context} />}</For>
            </ul>
          </Show>
        )}
      </ResourceView>
    </section>
  );
}

/** Renders one node with its actions and, below it, its children. */
function TreeBranch(props: { entry: TreeNode; context: TreeContext }) {
  const cloud = useCloud();
  const node = () => props.entry.node;
  const [moving, setMoving] = createSignal(false);
  const [target, setTarget] = createSignal('');
  const targets = createMemo(() => parentOptions(props.context.nodes(), node().kind, node().id));
  // Buildings never move, because the top level is their only place; areas and systems may go there.
  const topAllowed = () => mayNest(node().kind, null);
  const { status, confirm } = props.context;

  const rename = async (name: string) => {
    const updated = await status.run(
      () => unwrap(cloud.PATCH('/api/site-nodes/{nodeId}', { params: { path: { nodeId: node().id } }, body: { name } })),
      (result) => `Renamed to ${result.name}.`,
    );
    if (updated) props.context.reload();
    return updated !== undefined;
  };

  const move = async (event: SubmitEvent) => {
    event.preventDefault();
    const parentId = target() === '' ? null : target();
    const destination = parentId === null ? 'the top level' : (props.context.nodes().find((candidate) => candidate.id === parentId)?.name ?? parentId);
    const moved = await status.run(
      () => unwrap(cloud.PATCH('/api/site-nodes/{nodeId}', { params: { path: { nodeId: node().id } }, body: { parentId } })),
      (result) => `${result.name} moved to ${destination}.`,
    );
    if (moved) {
      setMoving(false);
      props.context.reload();
    }
  };

  const remove = async () => {
    const descendants = props.entry.children.length;
    const confirmed = await confirm.ask({
      title: `Delete ${kindLabel(node().kind).toLowerCase()} ${node().name}?`,
      message: (
        <p>
          {descendants > 0 ? 'Everything inside it is deleted too. ' : ''}The hub rejects the deletion while devices belong to this node or to
          anything inside it; move or delete those devices first.
        </p>
      ),
      confirmLabel: 'Delete',
      danger: true,
    });
    if (!confirmed) return;
    const deleted = await status.run(
      () => unwrap(cloud.DELETE('/api/site-nodes/{nodeId}', { params: { path: { nodeId: node().id } } })),
      () => `${kindLabel(node().kind)} ${node().name} deleted.`,
    );
    if (deleted !== undefined) props.context.reload();
  };

  return (
    <li data-testid={`node-${node().name}`}>
      <div class="admin-tree-row">
        <span class="badge badge-info">{kindLabel(node().kind)}</span>
        <span class="admin-tree-name">
          <InlineRename name={node().name} label={kindLabel(node().kind).toLowerCase()} testId={`node-${node().id}`} disabled={!props.context.canManage} save={rename} />
        </span>
        <Show when={props.context.canManage && !moving()}>
          <div class="admin-actions">
            <button type="button" class="btn-small" onClick={() => props.context.addUnder(node())} aria-label={`Add a node inside ${node().name}`}>
              Add inside
            </button>
            <Show when={node().kind !== 'building'}>
              <button
                type="button"
                class="btn-small"
                onClick={() => {
                  setTarget(node().parentId ?? '');
                  setMoving(true);
                }}
                aria-label={`Move ${node().name}`}
              >
                Move
              </button>
            </Show>
            <button type="button" class="btn-small" disabled={status.pending()} onClick={() => void remove()} aria-label={`Delete ${node().name}`}>
              Delete
            </button>
          </div>
        </Show>
        <Show when={moving()}>
          <form class="button-row" onSubmit={(event) => void move(event)} onKeyDown={(event) => event.key === 'Escape' && setMoving(false)}>
            <label class="visually-hidden" for={`move-${node().id}`}>
              New place of {node().name}
            </label>
            <select id={`move-${node().id}`} onChange={(event) => setTarget(event.currentTarget.value)} data-testid="move-target">
              <Show when={topAllowed()}>
                <option value="" selected={target() === ''}>
                  Top level of the site
                </option>
              </Show>
              <For each={targets()}>
                {(entry) => (
                  <option value={entry.node.id} selected={entry.node.id === target()}>
                    {optionLabel(entry)}
                  </option>
                )}
              </For>
            </select>
            <button type="submit" class="btn-small btn-primary" disabled={status.pending()}>
              Move here
            </button>
            <button type="button" class="btn-small" onClick={() => setMoving(false)}>
              Cancel
            </button>
          </form>
        </Show>
      </div>
      <Show when={props.entry.children.length > 0}>
        <ul>
          <For each={props.entry.children}>{(child) => <TreeBranch entry={child} context={props.context} />}</For>
        </ul>
      </Show>
    </li>
  );
}

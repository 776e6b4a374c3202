import createClient from 'openapi-fetch';
import { render } from 'solid-js/web';
import type { paths } from './api/generated/cloud-api';
import { describeError } from './api/api-error';
import { App } from './app/app';
import { instanceSchema, type Instance } from './app/instance';
import { initTheme } from './app/theme';
import { cloudAuth } from './session/cloud-auth';
import { edgeAuth } from './session/edge-auth';
import { createSession } from './session/session';
import './styles/app.css';

const root = document.getElementById('app')!;

/** Requests `GET /api/instance`, which both the edge node and the hub serve, to learn the mode. */
async function loadInstance(): Promise<Instance> {
  const { data, response } = await createClient<paths>({ baseUrl: '' }).GET('/api/instance', {});
  if (!response.ok) throw new Error(`the server responded ${response.status} to GET /api/instance`);
  return instanceSchema.parse(data);
}

function showStartupError(error: unknown): void {
  root.innerHTML = '';
  const page = document.createElement('div');
  page.className = 'centered-page';
  page.innerHTML = '<div class="card auth-card" role="alert"><h1>SimTestLab EMS cannot start</h1><p></p><button type="button" class="btn-primary">Try again</button></div>';
  page.querySelector('p')!.textContent = `${describeError(error)}. Check that the edge node or hub is running, then try again.`;
  page.querySelector('button')!.addEventListener('click', () => location.reload());
  root.append(page);
}

initTheme();
try {
  const instance = await loadInstance();
  const session = createSession(instance.mode === 'edge' ? edgeAuth : cloudAuth);
  await session.resume();
  render(() => <App instance={instance} session={session} />, root);
} catch (error) {
  showStartupError(error);
}

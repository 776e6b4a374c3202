import { A } from '@solidjs/router';

export function NotFoundPage() {
  return (
    <div class="centered-page">
      <div class="card auth-card">
        <h1>Page not found</h1>
        <p>This address matches no page of SimTestLab EMS.</p>
        <A href="/">Go to the start page</A>
      </div>
    </div>
  );
}

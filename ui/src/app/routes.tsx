import { lazy } from 'solid-js';
import { Navigate, Route, Router } from '@solidjs/router';
import { ProfilePage } from '../pages/account/profile-page';
import { LoginPage } from '../pages/login/login-page';
import { AlarmsPage } from '../pages/site/alarms-page';
import { DevicePage } from '../pages/site/device-page';
import { EnergyPage } from '../pages/site/energy-page';
import { EnergyReportPage } from '../pages/site/energy-report-page';
import { HistoryPage } from '../pages/site/history-page';
import { LiveDashboardPage } from '../pages/site/live-page';
import { SiteOverviewPage } from '../pages/site/overview-page';
import { SyncStatusPage } from '../pages/site/sync-page';
import { NotFoundPage } from '../pages/not-found-page';
import { SetupCompletePage } from '../pages/setup/setup-complete-page';
import { useApp } from './app-context';
import { CloudLayout, CloudSiteLayout, EdgeSiteLayout } from './layouts';

// Pages only the hub serves load on first use, so the edge's app stays small.
const ForgotPasswordPage = lazy(() => import('../pages/account/forgot-password-page').then((module) => ({ default: module.ForgotPasswordPage })));
const ResetPasswordPage = lazy(() => import('../pages/account/reset-password-page').then((module) => ({ default: module.ResetPasswordPage })));
const AccessPage = lazy(() => import('../pages/admin/access-page').then((module) => ({ default: module.AccessPage })));
const AuditPage = lazy(() => import('../pages/admin/audit-page').then((module) => ({ default: module.AuditPage })));
const DevicesAdminPage = lazy(() => import('../pages/admin/devices-admin-page').then((module) => ({ default: module.DevicesAdminPage })));
const EdgeNodesPage = lazy(() => import('../pages/admin/edge-nodes-page').then((module) => ({ default: module.EdgeNodesPage })));
const SiteDevicesPage = lazy(() => import('../pages/admin/site-devices-page').then((module) => ({ default: module.SiteDevicesPage })));
const EnergySettingsPage = lazy(() => import('../pages/admin/energy-settings-page').then((module) => ({ default: module.EnergySettingsPage })));
const OrganizationsPage = lazy(() => import('../pages/admin/organizations-page').then((module) => ({ default: module.OrganizationsPage })));
const SitesAdminPage = lazy(() => import('../pages/admin/sites-admin-page').then((module) => ({ default: module.SitesAdminPage })));
const UsersPage = lazy(() => import('../pages/admin/users-page').then((module) => ({ default: module.UsersPage })));
// The setup wizard runs once per node, so it loads only in setup mode.
const SetupPage = lazy(() => import('../pages/setup/setup-page').then((module) => ({ default: module.SetupPage })));
const SitesOverviewPage = lazy(() => import('../pages/sites/sites-page').then((module) => ({ default: module.SitesOverviewPage })));
const OrganizationEnergyPage = lazy(() => import('../pages/energy/organization-energy-page').then((module) => ({ default: module.OrganizationEnergyPage })));

/** Declares the pages of one site, the same in both modes, with paths relative to the site's base path. */
function sitePages() {
  return (
    <>
      <Route path="/" component={SiteOverviewPage} />
      <Route path="/live" component={LiveDashboardPage} />
      <Route path="/devices/:device" component={DevicePage} />
      <Route path="/history" component={HistoryPage} />
      <Route path="/energy" component={EnergyPage} />
      <Route path="/energy/report" component={EnergyReportPage} />
      <Route path="/alarms" component={AlarmsPage} />
      <Route path="/sync" component={SyncStatusPage} />
    </>
  );
}

/** Setup mode of a fresh edge node: the wizard at `/setup`, and every other path leads there. */
function SetupRoutes() {
  return (
    <Router root={(root) => <>{root.children}</>}>
      <Route path="/setup" component={SetupPage} />
      <Route path="*" component={() => <Navigate href="/setup" />} />
    </Router>
  );
}

/** Local mode: one site at the root, served by the edge node; the setup wizard while the node is in setup mode. */
export function EdgeRoutes() {
  const { instance } = useApp();
  if (instance.mode === 'edge' && instance.setup) return <SetupRoutes />;
  return (
    <Router root={(root) => <>{root.children}</>}>
      <Route path="/login" component={LoginPage} />
      <Route path="/setup" component={SetupCompletePage} />
      <Route path="/" component={EdgeSiteLayout}>
        {sitePages()}
        <Route path="/profile" component={ProfilePage} />
      </Route>
      <Route path="*" component={NotFoundPage} />
    </Router>
  );
}

/** Remote mode: every site the user may see, the admin pages and the account pages. */
export function CloudRoutes() {
  return (
    <Router root={(root) => <>{root.children}</>}>
      <Route path="/login" component={LoginPage} />
      <Route path="/forgot-password" component={ForgotPasswordPage} />
      <Route path="/set-password" component={ResetPasswordPage} />
      <Route path="/sites/:siteId" component={CloudSiteLayout}>
        {sitePages()}
      </Route>
      <Route path="/" component={CloudLayout}>
        <Route path="/" component={SitesOverviewPage} />
        <Route path="/profile" component={ProfilePage} />
        <Route path="/energy" component={OrganizationEnergyPage} />
        <Route path="/admin/organizations" component={OrganizationsPage} />
        <Route path="/admin/users" component={UsersPage} />
        <Route path="/admin/access" component={AccessPage} />
        <Route path="/admin/sites" component={SitesAdminPage} />
        <Route path="/admin/sites/:siteId/energy" component={EnergySettingsPage} />
        <Route path="/admin/sites/:siteId/devices" component={SiteDevicesPage} />
        <Route path="/admin/devices" component={DevicesAdminPage} />
        <Route path="/admin/edge-nodes" component={EdgeNodesPage} />
        <Route path="/admin/audit" component={AuditPage} />
      </Route>
      <Route path="*" component={NotFoundPage} />
    </Router>
  );
}

// Each identity provider's set-up steps (README "Connect the identity provider"). A step with a milestone is
// ticked when the endpoint sees it happen: probeAt (first authenticated request: the Enable / Test probe),
// firstUserAt (first user created), firstMembershipAt (first group write carrying members).

export const providers = [
  { key: 'OneLogin', name: 'OneLogin', idp: 'OneLogin' },
  { key: 'EntraId', name: 'Microsoft Entra ID', idp: 'Entra ID' },
  { key: 'Okta', name: 'Okta', idp: 'Okta' },
  { key: 'Other', name: 'Other SCIM 2.0', idp: 'your identity provider' },
];

export function providerName(key) {
  return providers.find(p => p.key === key)?.name ?? 'Not chosen';
}

export function providerInfo(key) {
  return providers.find(p => p.key === key) ?? providers[3];
}

/** The base URL as the provider wants it pasted (Entra ID's flag turns on its RFC-compliant PATCH). */
export function baseUrlFor(provider, scimBaseUrl) {
  return provider === 'EntraId' ? `${scimBaseUrl}?aadOptscim062020` : scimBaseUrl;
}

export const fieldNames = {
  OneLogin: { url: 'SCIM Base URL', token: 'SCIM Bearer Token' },
  EntraId: { url: 'Tenant URL', token: 'Secret Token' },
  Okta: { url: 'SCIM connector base URL', token: 'Authorization (HTTP Header)' },
  Other: { url: 'SCIM base URL', token: 'Bearer token' },
};

const steps = {
  OneLogin: [
    { title: 'Add the app', text: 'In the OneLogin Administration portal: Applications → Add App. Search for “SCIM Provisioner with SAML (SCIM v2 Enterprise)”, give it a name (for example the name of this app) and Save.' },
    { title: 'Configuration tab', text: 'Paste the SCIM Base URL and the SCIM Bearer Token shown above. Keep the default SCIM JSON Template.' },
    { title: 'Enable the API connection', text: 'Click Enable under API Connection. OneLogin checks the connection with a user search; this step is ticked when it arrives.', milestone: 'probeAt', waiting: 'Waiting for OneLogin’s Enable check…' },
    { title: 'Provisioning tab', text: 'Tick Enable provisioning, choose what a deleted OneLogin user becomes (Delete or Suspend), and Save.' },
    { title: 'Provision a user', text: 'Assign the app to a user (the user’s Applications tab, +). The request stays Pending: click Pending, then Approve. This step is ticked when the first user arrives.', milestone: 'firstUserAt', waiting: 'Waiting for the first user…' },
    { title: 'Include groups', text: 'Parameters tab → Groups: tick “Include in User Provisioning” and Save. OneLogin roles become groups here.' },
    { title: 'Add a rule for groups', text: 'Rules tab → Add Rule: set the action “Set Groups in <your app>” for each role, and Save. Approve the Pending users. This step is ticked when the first group membership arrives.', milestone: 'firstMembershipAt', waiting: 'Waiting for the first group with members…' },
  ],
  EntraId: [
    { title: 'Create the application', text: 'In the Microsoft Entra admin center: Enterprise applications → New application → Create your own application, choose “Integrate any other application you don’t find in the gallery (Non-gallery)”, and Create.' },
    { title: 'Automatic provisioning', text: 'In the new application: Provisioning (Get started, or New configuration), set Provisioning Mode to Automatic.' },
    { title: 'Admin Credentials', text: 'Paste the Tenant URL (it ends in ?aadOptscim062020) and the Secret Token shown above.' },
    { title: 'Test Connection', text: 'Click Test Connection, then Save. This step is ticked when Entra ID’s test arrives.', milestone: 'probeAt', waiting: 'Waiting for Entra ID’s Test Connection…' },
    { title: 'Mappings', text: 'Mappings → Provision Microsoft Entra ID Users: the defaults fit (userPrincipalName → userName). Prefer objectId → externalId.' },
    { title: 'Scope and start', text: 'Settings → Scope: “Sync only assigned users and groups”; assign users and groups under Users and groups; set Provisioning Status to On and Save. Provision on demand pushes one user at once. Ticked when the first user arrives.', milestone: 'firstUserAt', waiting: 'Waiting for the first user…' },
    { title: 'Groups', text: 'Assigned groups are created, then their members are added. Ticked when the first group membership arrives.', milestone: 'firstMembershipAt', waiting: 'Waiting for the first group with members…' },
  ],
  Okta: [
    { title: 'Create the app integration', text: 'Applications → Create App Integration (SAML 2.0 or SWA). On the General tab, App Settings → Edit, set Provisioning to SCIM and Save. For a quick trial, the catalog app “SCIM 2.0 Test App (Header Auth)” works too.' },
    { title: 'Integration settings', text: 'Provisioning → Integration → Edit: SCIM connector base URL as shown above; Unique identifier field for users = userName; tick Push New Users, Push Profile Updates and Push Groups; Authentication Mode = HTTP Header, Authorization = the token.' },
    { title: 'Test Connector Configuration', text: 'Click Test Connector Configuration, then Save. This step is ticked when Okta’s test arrives.', milestone: 'probeAt', waiting: 'Waiting for Okta’s connector test…' },
    { title: 'To App', text: 'Provisioning → To App → Edit: enable Create Users, Update User Attributes and Deactivate Users. Leave Sync Password off.' },
    { title: 'Assign people', text: 'Assignments: assign people or groups. Ticked when the first user arrives.', milestone: 'firstUserAt', waiting: 'Waiting for the first user…' },
    { title: 'Push Groups', text: 'Push Groups → + Push Groups: find the groups by name and push them. Ticked when the first group membership arrives.', milestone: 'firstMembershipAt', waiting: 'Waiting for the first group with members…' },
  ],
  Other: [
    { title: 'Enter the connection', text: 'In your SCIM 2.0 client, set the base URL and send the token as “Authorization: Bearer <token>”.' },
    { title: 'Test the connection', text: 'Run the client’s connection test (any authenticated request). Ticked when it arrives.', milestone: 'probeAt', waiting: 'Waiting for the first authenticated request…' },
    { title: 'Provision a user', text: 'Create a user (POST /Users). Ticked when the first user arrives.', milestone: 'firstUserAt', waiting: 'Waiting for the first user…' },
    { title: 'Push groups', text: 'Create or update a group with members. Ticked when the first group membership arrives.', milestone: 'firstMembershipAt', waiting: 'Waiting for the first group with members…' },
  ],
};

export function stepsFor(provider) {
  return steps[provider] ?? steps.Other;
}

// The commands ssm-perms sends to this service, named one by one. clients.ts import()s this module rather
// than the client package: the bundler then keeps only these commands and the schemas they reach. A
// namespace import of the package keeps every operation of the service - for EC2 about 750 of them, a
// 1 MB chunk whose schemas cost ~65 MB of memory on load (bench/README.md, "doctor at fleet scale").
export { OrganizationsClient, ListAccountsCommand, ListAccountsForParentCommand, ListOrganizationalUnitsForParentCommand } from '@aws-sdk/client-organizations';

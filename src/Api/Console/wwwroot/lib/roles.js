// What a role may do with datasets, as the rights table says (docs/access.md, dataset and sandbox rows): the menu and
// the pages offer only that; the API checks every call on its own.
export const mayReadDatasets = me => ['Instructor', 'CompanyMember', 'Administrator'].includes(me?.role);
export const mayManageSandboxes = me => ['Instructor', 'Administrator'].includes(me?.role);

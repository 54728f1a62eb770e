// What a role may do with datasets, as the rights table says (docs/access.md, dataset and sandbox rows): the menu and
// the pages offer only that; the API checks every call on its own.
export const mayReadDatasets = me => ['Instructor', 'CompanyMember', 'Administrator'].includes(me?.role);
export const mayManageSandboxes = me => ['Instructor', 'Administrator'].includes(me?.role);
// Assignments (docs/datasets.md, "Assignments"): students of the class read and submit, instructors manage their
// site's, administrators read all; a company member has no assignment right (the API lists nothing and answers 404).
export const mayReadAssignments = me => ['Student', 'Instructor', 'Administrator'].includes(me?.role);
export const maySubmit = me => me?.role === 'Student';

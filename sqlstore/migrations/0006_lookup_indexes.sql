-- Lookups of one person's rows within a case. With only (case_id) and (person_id) indexes
-- SQLite chose the case's index and read every row of the case, so each write cost more
-- as the case grew. Indexes only: no record table changes.
CREATE INDEX person_names_case_person ON person_names (case_id, person_id);
CREATE INDEX person_aliases_case_person ON person_aliases (case_id, person_id);
CREATE INDEX person_roles_case_person ON person_roles (case_id, person_id);
CREATE INDEX person_details_case_person ON person_details (case_id, person_id);
CREATE INDEX identifiers_case_person ON identifiers (case_id, person_id);
CREATE INDEX blind_index_person ON blind_index (person_id, field, token);

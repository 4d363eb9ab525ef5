-- A form that starts an administration carries a one-time key, so the same
-- form sent twice (Back, then Finish; a reload; a double click) finds the
-- administration it began instead of starting another. Null for
-- administrations begun elsewhere (the terminal, the API, older stores).
ALTER TABLE administrations ADD COLUMN form_key TEXT;

CREATE UNIQUE INDEX administrations_by_form_key
    ON administrations (owner_id, form_key) WHERE form_key IS NOT NULL;

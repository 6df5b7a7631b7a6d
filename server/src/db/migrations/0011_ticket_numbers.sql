-- Ticket numbers (KF-2026-000123) come from one SEQUENCE per year, `ticket_number_2026`, …,
-- created with the first ticket of the year. A sequence is not transactional: concurrent
-- creations never wait on each other for a number (the counter row of 0002 was locked until
-- COMMIT and serialised every creation), and a rolled-back creation leaves a gap, as in most
-- helpdesks. Numbers stay unique (tickets.number is UNIQUE) and increase within a year.
-- ticket_number_sequences is kept: a year's sequence starts after its last_value there, so the
-- numbers handed out before this migration continue.

-- The year's sequence, created when missing, numbering after `p_floor` and after the old counter.
-- Two creators of a year's first ticket race on CREATE SEQUENCE: the second waits for the first
-- to commit, gets a unique violation and uses the sequence the first made.
CREATE FUNCTION ticket_number_sequence(p_year integer) RETURNS regclass
LANGUAGE plpgsql AS $$
DECLARE
  name text := 'ticket_number_' || p_year;
  seq regclass;
BEGIN
  IF p_year NOT BETWEEN 2000 AND 9999 THEN
    RAISE EXCEPTION 'ticket number year % out of range', p_year USING ERRCODE = 'numeric_value_out_of_range';
  END IF;
  LOOP
    seq := to_regclass(quote_ident(name));
    IF seq IS NOT NULL THEN
      RETURN seq;
    END IF;
    BEGIN
      EXECUTE format('CREATE SEQUENCE %I AS bigint START WITH %s', name,
        coalesce((SELECT last_value FROM ticket_number_sequences WHERE year = p_year), 0) + 1);
    EXCEPTION WHEN duplicate_table OR unique_violation THEN
      NULL; -- made by a concurrent creator meanwhile: look it up again
    END;
  END LOOP;
END;
$$;

-- The next number of the year (the bare serial; the server formats KF-YYYY-NNNNNN).
CREATE FUNCTION next_ticket_number(p_year integer) RETURNS bigint
LANGUAGE sql AS $$
  SELECT nextval(coalesce(to_regclass(quote_ident('ticket_number_' || p_year)),
                          ticket_number_sequence(p_year)));
$$;

-- Bulk loads (bench generator, imports) that wrote numbers themselves: the year's numbers
-- continue after `p_last` (never moved back).
CREATE FUNCTION raise_ticket_number_floor(p_year integer, p_last bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  seq regclass := ticket_number_sequence(p_year);
  last bigint;
BEGIN
  -- The last number handed out (a sequence not yet called hands out last_value next).
  EXECUTE format('SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM %s', seq)
    INTO last;
  IF p_last > last THEN
    PERFORM setval(seq, p_last);
  END IF;
END;
$$;

// name: report-run-id-unique
// description: Report runs are looked up by id (the diff's `--since`, the API).
CREATE CONSTRAINT ReportRun_id_unique IF NOT EXISTS FOR (r:ReportRun) REQUIRE r.id IS UNIQUE

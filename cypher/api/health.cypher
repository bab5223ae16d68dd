// name: health
// description: The cheapest read that proves the database answers.
RETURN 1 AS ok

"""The Temporal contract in code, one home for what docs/contract.md names: the task queue,
workflow, update, signal and query names and the error types (`names`), the workflow IDs
(`ids`), the typed search-attribute keys and their registration (`search_attributes`), the
activities' timeouts and retry policies (`policies`), and the client factory with our data
converter (`client`).

Worker, starter, workflows, activities, tests and bench import these; nothing spells them twice.
`names` and `ids` import nothing of ours but `domain` (the codec in `versleuteling` reads the
workflow IDs through `ids`); `domain` itself knows nothing of Temporal.
"""

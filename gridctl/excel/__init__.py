"""The clerk's Excel: registers read into the ledger (`gridctl import`) and written out (`gridctl export`).

Library only: nothing here prints or knows typer. tables reads a sheet, mapping names its columns,
values reads cells, rows ties findings to cells, households and records plan the changes,
importing writes them as one commit, export writes the ledger back out as a register.
"""

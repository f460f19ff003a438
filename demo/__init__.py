"""Demo and scale content: builds the Vilnius 2017 demo conference and synthetic benchmark conferences."""

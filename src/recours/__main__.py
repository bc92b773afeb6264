from recours.cli import main

main()

from recours.cli.main import main

main()

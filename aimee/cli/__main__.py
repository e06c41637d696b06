from aimee.cli import main

main()

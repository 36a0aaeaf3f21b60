from aqparat.cli import main

main()

from zhsite.cli import main

main()

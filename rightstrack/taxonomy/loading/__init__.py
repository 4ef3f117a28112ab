"""Reading vocabularies from files into term records; the services write them to the database."""

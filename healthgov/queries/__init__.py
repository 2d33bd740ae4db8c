"""healthgov.queries"""

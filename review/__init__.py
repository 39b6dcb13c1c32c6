"""EKU's review app (issue 9): the queue, the case page and the actions, in the browser."""

# like.js and the archive's other data files share the window.YTD. prefix
cd "$TMPDIR_CASE" && printf 'window.YTD.like.part0 = [ {"like": {"tweetId": "1"}} ]' > like.js && vocal import -q like.js

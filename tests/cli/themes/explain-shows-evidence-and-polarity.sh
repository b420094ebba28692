. ./setup.inc
vocal themes "The food was great but the waiter was rude" "The waiter was not rude at all" "I charged my phone"
printf 'Parcel arrived a week late and they charged me twice\n' | vocal themes
